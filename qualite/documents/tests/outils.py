"""Real PDF and DOCX files for the document tests (WeasyPrint writes the PDF, the standard library the DOCX)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def pdf(texte: str) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    return HTML(string=f"<html><body><p>{escape(texte)}</p></body></html>").write_pdf()


def docx(*paragraphes: str) -> bytes:
    from xml.sax.saxutils import escape

    corps = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphes)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{corps}</w:body></w:document>")
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return sortie.getvalue()


def televersement(nom="procedure.pdf", contenu=None, type_annonce="application/pdf"):
    return SimpleUploadedFile(nom, contenu if contenu is not None else pdf("Procédure de test"),
                              content_type=type_annonce)


def document_de_test(monde, *, titre="Procédure hygiène des mains", par=None, contenu=None, nom="procedure.pdf",
                     etablissement=None, date_revision=None, service=None, type_="procedure"):
    """A document and its version 1 (en rédaction), through the service, as the creation page does."""
    from django.core.files.base import ContentFile

    from qualite.documents import services
    from qualite.pieces.verification import controler

    par = par or monde.users["gestionnaire_risques"]
    fichier = ContentFile(contenu if contenu is not None else pdf("Procédure de test"), name=nom)
    return services.document_creer(
        donnees={"titre": titre, "type": type_, "etablissement": etablissement or monde.etab_a,
                 "proprietaire": par, "date_revision": date_revision, "service": service},
        par=par, fichier=fichier, nom=nom, controle=controler(fichier))


def publier(document, *, redacteur, verificateur, approbateur, diffuseur, cibles):
    """Take version 1 through the whole workflow to diffusion."""
    from qualite.documents import services

    version = document.versions.get(numero=1)
    for vers, par in (("verification", redacteur), ("approbation", verificateur), ("approuvee", approbateur)):
        version = services.version_transition(version=version, vers=vers, par=par)
    return services.version_transition(version=version, vers="diffusee", par=diffuseur, cibles=cibles)
