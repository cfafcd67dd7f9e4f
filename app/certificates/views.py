"""Certificates: organiser console (issue, revoke, reissue, batch print, templates), the
participant's own certificates, and public verification."""
from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import file_store, security_headers
from app.accounts.models import Role
from app.certificates import downloads, printing, rendering, services, verification
from app.certificates.bp import bp, public
from app.certificates.forms import IssueForm, ReissueForm, RevokeForm, TemplateForm, VerifyForm
from app.certificates.models import CertificateKind, CertStatus, JobStatus, job_label
from app.errors import InvalidInput
from app.events import queries as event_queries
from app.extensions import db, limiter
from app.inputs import bounded_int, int_list
from app.transaction import commit
from app.web import answers_json, page_arg, perform, roles_required

staff_only = roles_required(Role.ADMIN, Role.ORGANISER)
admin_only = roles_required(Role.ADMIN)
PAGE = 50


def _pdf(body: bytes, name: str, inline: bool = False) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _managed(cert_id: int):
    cert = services.get_certificate(cert_id)
    services.require_manage(current_user, cert)
    return cert


def _validated(form, field: str, message):
    """The form, once valid; one posted without `field` is refused like a service's field error
    (inside perform, so it goes back to the certificate's page with the message)."""
    if not form.validate_on_submit():
        raise InvalidInput(fields={field: message})
    return form


def _subject_filter() -> dict:
    """?event=ID, ?cohort=ID, ?competition=ID, ?pitch=ID (a pitch competition) or ?roster=ID (a
    member's 聘书): the certificates issued for it."""
    for subject_type in ("event", "cohort", "competition", "pitch", "roster"):
        value = bounded_int(request.values.get(subject_type))
        if value is not None:
            return {"subject_type": subject_type, "subject_id": value}
    return {"subject_type": None, "subject_id": None}


def _filters() -> dict:
    kind = request.values.get("kind")
    status = request.values.get("status")
    return {"kind": kind if kind in {k.value for k in CertificateKind} else None,
            "status": status if status in {s.value for s in CertStatus} else None,
            **_subject_filter(),
            "q": (request.values.get("q") or "").strip()[:60] or None}


# -- console: list, detail ------------------------------------------------------
@bp.route("/")
@staff_only
def index():
    f = _filters()
    page = db.paginate(services.select_certificates(current_user, **f), page=page_arg(),
                       per_page=PAGE, error_out=False)
    return render_template("certificates/index.html", page=page, filters=f, kinds=list(CertificateKind),
                           statuses=list(CertStatus), jobs=printing.recent_jobs(current_user))


@bp.route("/<int:cert_id>")
@staff_only
def detail(cert_id: int):
    cert = _managed(cert_id)
    return render_template("certificates/detail.html", cert=cert, revoke_form=RevokeForm(),
                           reissue_form=ReissueForm(name=cert.recipient_name, tier=cert.tier, award=cert.award),
                           verify_url=rendering.verify_url(cert.code))


@bp.route("/<int:cert_id>.pdf")
@staff_only
def pdf(cert_id: int):
    cert = _managed(cert_id)
    body = downloads.certificate_pdf(current_user, cert)
    commit()  # the audit row of who downloaded it
    return _pdf(body, f"{cert.serial}.pdf")


@bp.route("/<int:cert_id>/revoke", methods=["POST"])
@staff_only
def revoke(cert_id: int):
    cert = _managed(cert_id)
    form = RevokeForm()
    return perform(lambda: services.revoke(current_user, cert, _validated(
                       form, "reason", _("Please give the reason for revoking.")).reason.data),
                   success=_("The certificate is revoked; its verification page now says so."),
                   to=url_for("certificates.detail", cert_id=cert_id))


@bp.route("/<int:cert_id>/reissue", methods=["POST"])
@staff_only
def reissue(cert_id: int):
    cert = _managed(cert_id)
    form = ReissueForm()

    def reissue_it():
        _validated(form, "name", _("A certificate needs the recipient's name."))
        return services.reissue(current_user, cert, name=form.name.data, tier=form.tier.data or "",
                                award=form.award.data or "")

    return perform(reissue_it, to=lambda new: url_for("certificates.detail", cert_id=new.id),
                   refused_to=url_for("certificates.detail", cert_id=cert_id),
                   success=lambda new: _("Reissued as %(serial)s; the old certificate now shows as superseded.",
                                         serial=new.serial))


# -- console: issuing for an event ---------------------------------------------
@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
@staff_only
def event(event_id: int):
    event = event_queries.managed_event(current_user, event_id)
    form = IssueForm(kind=services.default_kind("event").value)
    preview = None
    if form.validate_on_submit() and request.form.get("confirm") != "1":
        # Nothing is issued on the first POST: the organiser sees how many of which kind, then confirms.
        preview = services.preview_for_attendance(current_user, event, kind=form.kind.data)
    elif form.validate_on_submit():
        return perform(lambda: services.issue_for_attendance(current_user, event, kind=form.kind.data),
                       success=_issued, to=url_for("certificates.event", event_id=event.id))
    # A page of the certificates and the counts from SQL: an event of 10,000 is not one 2 MB page.
    page = db.paginate(services.select_certificates(current_user, subject_type="event", subject_id=event.id),
                       page=page_arg(), per_page=PAGE, error_out=False)
    return render_template("certificates/event.html", event=event, form=form, page=page,
                           attendees=services.attendee_count(event), preview=preview)


def _issued(result) -> str:
    return (ngettext("%(num)s certificate issued.", "%(num)s certificates issued.", len(result.issued))
            + " " + ngettext("%(num)s person already had one.", "%(num)s people already had one.",
                             len(result.skipped)))


# -- console: batch printing ----------------------------------------------------
@bp.route("/print", methods=["POST"])
@staff_only
def print_batch():
    if request.form.get("scope") == "all":
        certs = downloads.listed_certificates(current_user, **_filters())
    else:
        certs = downloads.listed_certificates(current_user, ids=int_list(request.form.getlist("ids")))
    return perform(lambda: printing.create_job(current_user, certs, request.form.get("output", "pdf"),
                                               label=request.form.get("label", "")),
                   success="", to=_started, refused_to=request.form.get("back") or url_for("certificates.index"))


def _started(job) -> str:
    """perform() calls this after its commit: only then may the worker look for the job's row."""
    printing.dispatch(job.id)
    return url_for("certificates.job", job_id=job.id)


@bp.route("/jobs/<job_id>")
@staff_only
def job(job_id: str):
    return render_template("certificates/job.html", job=printing.get_job(current_user, job_id))


@bp.route("/jobs/<job_id>/retry", methods=["POST"])
@staff_only
def job_retry(job_id: str):
    here = url_for("certificates.job", job_id=job_id)
    return perform(lambda: printing.retry_job(current_user, job_id), success=_("Printing again."),
                   to=lambda job: _started(job) if job is not None else here, refused_to=here)


@bp.route("/jobs/<job_id>.json")
@staff_only
def job_json(job_id: str):
    job = printing.get_job(current_user, job_id)
    body = printing.job_status(job)
    body["download_url"] = url_for("certificates.job_file", job_id=job.id) \
        if job.status == JobStatus.DONE.value else None
    return jsonify(body)


@bp.route("/jobs/<job_id>/file")
@staff_only
def job_file(job_id: str):
    job = printing.get_job(current_user, job_id)
    name = printing.stored_file(job)
    if name is None:
        abort(404)
    downloads.record_job_download(current_user, job)
    commit()  # the audit row of who downloaded it
    return file_store.response(name, file_store.PRINT, download_name=f"certificates-{job.id[:8]}.{job.output}")


# -- console: templates (admins) ------------------------------------------------
@bp.route("/templates")
@admin_only
def templates():
    items = services.ensure_templates()
    commit()  # the shipped templates may have just been created
    return render_template("certificates/templates.html", templates=items)


def _template_fields(form: TemplateForm) -> dict:
    return {"name": form.name.data, "title": form.title.data, "html": form.html.data or "",
            "css": form.css.data or "", "page_size": form.page_size.data, "signatory": form.signatory.data or ""}


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@security_headers.pdf_preview
@admin_only
def template_edit(template_id: int):
    template = services.get_template(template_id)
    form = TemplateForm(obj=template)

    def save():
        services.save_template(current_user, template, **_template_fields(form))
        for which in ("seal", "signature"):
            storage = getattr(form, which).data
            if storage:
                services.set_template_image(current_user, template, which, storage)

    if form.validate_on_submit() and (done := perform(
            save, form=form, success=_("Template saved."),
            to=url_for("certificates.template_edit", template_id=template.id))):
        return done
    return render_template("certificates/template_form.html", form=form, template=template,
                           placeholders=rendering.PLACEHOLDERS)


@bp.route("/templates/<int:template_id>/preview", methods=["POST"])
@admin_only
@answers_json  # the editor's script shows a broken template's message from the JSON body
def template_preview(template_id: int):
    """The edited template as a PDF with sample values: the live preview (the draft is never saved)."""
    saved = services.get_template(template_id)
    draft = type(saved)(id=saved.id, kind=saved.kind, title=request.form.get("title") or saved.title,
                        html=request.form.get("html", ""), css=request.form.get("css", ""),
                        page_size=request.form.get("page_size") or saved.page_size,
                        signatory=request.form.get("signatory", ""), seal_image=saved.seal_image,
                        signature_image=saved.signature_image)
    return _pdf(rendering.preview_pdf(draft), "preview.pdf", inline=True)


@bp.route("/templates/<int:template_id>/reset", methods=["POST"])
@admin_only
def template_reset(template_id: int):
    template = services.get_template(template_id)
    return perform(lambda: services.reset_template(current_user, template),
                   success=_("The template is back to the shipped design."), category="info",
                   to=url_for("certificates.template_edit", template_id=template_id))


# -- participants ---------------------------------------------------------------
@public.route("/me/certificates")
@login_required
def mine():
    return render_template("certificates/mine.html", certs=services.certificates_of(current_user))


@public.route("/me/certificates/<int:cert_id>.pdf")
@login_required
def my_pdf(cert_id: int):
    cert, body = downloads.own_certificate_pdf(current_user, cert_id)
    return _pdf(body, f"{cert.serial}.pdf")


# -- public verification --------------------------------------------------------
def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@public.route("/verify", methods=["GET"])
@limiter.limit(_verify_limit)
def lookup():
    form = VerifyForm(request.args)
    if request.args.get("q") and form.validate():
        cert, ok = verification.lookup(form.q.data)
        if ok and cert is not None:
            return redirect(url_for("verify.show", code=cert.code))
        return _verification_page(None, ok, form)
    return render_template("certificates/verify.html", form=form, result=None)


def _verification_page(cert, ok: bool, form=None):
    if not ok:
        return render_template("certificates/verify.html", form=form or VerifyForm(), result=None,
                               unavailable=True), 503
    result = services.verification(cert)
    status = 404 if result["state"] == "not_found" else 200
    return render_template("certificates/verify.html", form=form or VerifyForm(), result=result, cert=cert), status


@public.route("/verify/<code>")
@security_headers.private_link
@limiter.limit(_verify_limit)
def show(code: str):
    if code.endswith(".json"):
        return show_json(code[:-5])
    cert, ok = verification.lookup(code)
    if ok and cert is not None and cert.code != code:  # typed serial: one canonical address
        return redirect(url_for("verify.show", code=cert.code))
    return _verification_page(cert, ok)


def show_json(code: str):
    cert, ok = verification.lookup(code)
    if not ok:
        return jsonify(state="unavailable", message=_("The certificate register cannot be read right now. "
                                                      "Please try again later.")), 503
    result = services.verification(cert)
    return jsonify(result), (404 if result["state"] == "not_found" else 200)


@bp.app_context_processor
def _certificate_globals():
    return {"job_label": job_label}
