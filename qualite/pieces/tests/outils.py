"""Files and records the attachment tests share (the access matrix uses them too)."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# A Windows program's header: whatever its name says, its content is an executable.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode." + b"\x00" * 200
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def televersement(nom="certificat.pdf", contenu=PDF, type_annonce="application/pdf"):
    return SimpleUploadedFile(nom, contenu, content_type=type_annonce)


def piece_de_test(objet, *, par=None, nom="note.txt", contenu=b"Contenu de la piece de test.\n"):
    """A file attached to `objet` through the service, as an upload would be."""
    from qualite.pieces.services import piece_deposer
    from qualite.pieces.verification import controler

    fichier = ContentFile(contenu, name=nom)
    return piece_deposer(objet=objet, fichier=fichier, nom=nom, controle=controler(fichier), par=par)


def mesure_ssc(monde, service=None, ipp="IPP-PJ"):
    from usagers.ssc import services

    return services.mesure_admettre(
        par=monde.users["bureau_admissions"], service=service or monde.service_a,
        patient={"ipp": ipp, "nom": "Durand", "prenom": "Léa", "date_naissance": date(1990, 3, 2)},
        mesure={"mode": "sdt", "t0": timezone.now() - timedelta(days=3), "tiers_nom": "Marie Martin",
                "tiers_lien": "sœur"})


def reclamation(monde, etablissement=None, reference="REC-PJ-1"):
    from usagers.relations.models import Reclamation

    return Reclamation.objects.create(
        reference=reference, etablissement=etablissement or monde.etab_a, nature="reclamation", canal="courrier",
        categories=["soins"], auteur_nom="Jean Dupont", lien_patient="fils", patient_nom="Paul Dupont",
        objet="Attente aux urgences", resume_anonymise="Attente jugée excessive.", resume_valide=True,
        recue_le=date(2026, 1, 31), created_by=monde.users["relations_usagers"])
