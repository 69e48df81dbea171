from django.db.models.functions import Coalesce

from qualite.pilotage.chiffres import Chiffre, Repartition, enregistrer, enregistrer_repartition


def enregistrer_chiffres():
    from evenements.models import AnalyseApprofondie, DeclarationARS, EvenementIndesirable, Gravite

    enregistrer(Chiffre(
        "ei", "évènements indésirables signalés par les professionnels",
        "Déclarations du registre des évènements indésirables, comptées à leur date de survenue, quel que soit leur état "
        "(classées sans suite comprises).", "qualite", 10,
        lambda: EvenementIndesirable.objects.all(), "etablissement", "survenu_le", "pole",
        singulier="évènement indésirable signalé par les professionnels"))
    enregistrer(Chiffre(
        "eig_ars", "évènements indésirables graves déclarés à l'ARS",
        "EIGS dont la partie 1 de la déclaration a été envoyée à l'ARS dans l'année (date d'envoi enregistrée).",
        "qualite", 20, lambda: DeclarationARS.objects.filter(partie1_envoyee_le__isnull=False),
        "evenement__etablissement", "partie1_envoyee_le", "evenement__pole",
        singulier="évènement indésirable grave déclaré à l'ARS"))
    enregistrer(Chiffre(
        "analyses", "analyses approfondies des causes",
        "Analyses approfondies (ALARM, ORION…) datées de l'année, rattachées à un évènement.", "qualite", 30,
        lambda: AnalyseApprofondie.objects.all(), "evenement__etablissement", "date", "evenement__pole",
        singulier="analyse approfondie des causes"))
    enregistrer_repartition(Repartition(
        "ei_type", "Évènements indésirables par type", 10, lambda: EvenementIndesirable.objects.all(), "pole",
        "survenu_le", "type__libelle"))
    enregistrer_repartition(Repartition(
        "ei_gravite", "Évènements indésirables par gravité (qualifiée, sinon estimée par le déclarant)", 20,
        lambda: EvenementIndesirable.objects.annotate(gravite_retenue=Coalesce("gravite", "gravite_estimee")), "pole",
        "survenu_le", "gravite_retenue", dict(Gravite.choices)))
