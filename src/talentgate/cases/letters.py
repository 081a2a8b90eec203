"""Decision letters: the PDF a candidate receives for each decision on their case, in their language.

A letter states the decision's kind, its basis (the assessment policy's id and version, or the
legal ground), the officer who took it, the date, the reasons and, for a rejection or refusal,
until when and how the candidate may ask for reconsideration. It is rendered with reportlab in
DejaVu Sans, whose glyphs cover Latin and Cyrillic, so English and Russian letters look alike.

:func:`letter_pdf` is the access-checked entry point (the candidate of the case and programme
staff); :func:`render_letter` turns a :class:`LetterContent` into bytes and knows nothing of
the database, so its layout can be tested and benchmarked on its own.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape  # nosec B406  # only escapes text for reportlab's markup; nothing parses XML

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext_lazy

from talentgate.accounts.roles import Role
from talentgate.cases.models import Decision, Reconsideration, ReconsiderationStatus
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import NotFound, ValidationFailed

# Declared for makemessages: NotFound looks the noun up under the context "object".
OBJECT_NAMES = (pgettext_lazy("object", "decision"),)

#: Folders searched, in order, for the DejaVu fonts; Debian's fonts-dejavu-core installs them in the first
#: (deps/debian.txt lists it). ``settings.LETTER_FONT_DIR``, when set, is tried before these.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_NAME = "DejaVuSans"
BOLD_FONT_NAME = "DejaVuSans-Bold"

_fonts_lock = threading.Lock()
_fonts_registered = False


class LetterFontMissing(ImproperlyConfigured):
    """The DejaVu fonts the letters are set in are not installed; the message says how to install them."""


def find_fonts() -> dict[str, Path]:
    """Paths of the regular and bold DejaVu Sans files, from the first folder that has both.

    Raises :class:`LetterFontMissing` naming the folders searched and the package to install, because
    a letter in a fallback font would lose its Cyrillic text silently.
    """
    configured = getattr(settings, "LETTER_FONT_DIR", None)
    folders = ([Path(configured)] if configured else []) + list(FONT_DIRS)
    for folder in folders:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return paths
    searched = ", ".join(str(folder) for folder in folders)
    raise LetterFontMissing(
        f"Decision letters need the DejaVu Sans fonts ({', '.join(FONT_FILES.values())}) and none of these folders "
        f"has them: {searched}. Install Debian's fonts-dejavu-core (`make deps`) or set LETTER_FONT_DIR to a folder "
        "holding both files."
    )


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _fonts_lock:
        if _fonts_registered:
            return
        paths = find_fonts()
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(paths["regular"])))
        pdfmetrics.registerFont(TTFont(BOLD_FONT_NAME, str(paths["bold"])))
        # <b> inside a paragraph then picks the bold face instead of a built-in Latin-only font.
        addMapping(FONT_NAME, 0, 0, FONT_NAME)
        addMapping(FONT_NAME, 1, 0, BOLD_FONT_NAME)
        addMapping(FONT_NAME, 0, 1, FONT_NAME)
        addMapping(FONT_NAME, 1, 1, BOLD_FONT_NAME)
        _fonts_registered = True


@dataclass(frozen=True)
class LetterContent:
    """Everything a letter says, already in the letter's language (labels rendered, names chosen).

    ``reconsideration_until`` is set for decisions that may be reconsidered (rejections and
    refusals) and ``None`` otherwise; ``reconsideration_days`` is the window it was computed from.
    """

    language: str
    programme_name: str
    case_reference: str
    candidate_name: str
    decision_kind: str
    decision_label: str
    basis: str
    officer_name: str
    decided_on: date
    reasons: str
    reconsideration_until: date | None = None
    reconsideration_days: int | None = None
    reconsiders: str = ""


def _paragraphs(text: str) -> list[str]:
    """The reasons split into paragraphs at blank lines, each escaped for reportlab's markup."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [escape(block).replace("\n", "<br/>") for block in blocks if block]


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor="#444444"),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD_FONT_NAME, fontSize=16, leading=20, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD_FONT_NAME, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "label": ParagraphStyle("label", parent=body, fontName=BOLD_FONT_NAME, spaceAfter=0),
        "value": ParagraphStyle("value", parent=body, spaceAfter=0),
    }


def render_letter(content: LetterContent) -> bytes:
    """The letter as PDF bytes, worded in ``content.language``.

    Output is byte-for-byte reproducible for the same content (reportlab's invariant mode), so a
    letter can be re-rendered on demand instead of stored.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    styles = _styles()
    with translation.override(content.language):
        title = gettext("Decision letter")
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=f"{title} — {content.case_reference}",
            author=content.programme_name,
            creator="talentgate",
            lang=content.language,
            invariant=True,
        )

        def value(text: str) -> Any:
            return Paragraph(escape(text), styles["value"])

        def label(text: str) -> Any:
            return Paragraph(escape(text), styles["label"])

        story: list[Any] = [
            Paragraph(escape(content.programme_name), styles["small"]),
            Paragraph(escape(title), styles["title"]),
            Paragraph(
                escape(gettext("To: %(name)s") % {"name": content.candidate_name}),
                styles["body"],
            ),
        ]
        facts = [
            (gettext("Case"), content.case_reference),
            (gettext("Decision"), content.decision_label),
            (gettext("Basis"), content.basis),
            (gettext("Decided by"), content.officer_name),
            (gettext("Date of decision"), formats.date_format(content.decided_on, "DATE_FORMAT")),
        ]
        if content.reconsiders:
            facts.append((gettext("Reconsiders"), content.reconsiders))
        table = Table([[label(name), value(text)] for name, text in facts], colWidths=[45 * mm, None])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm), Paragraph(escape(gettext("Reasons")), styles["heading"])]
        reasons = _paragraphs(content.reasons) or [escape(gettext("No reasons were recorded."))]
        story += [Paragraph(block, styles["body"]) for block in reasons]
        if content.reconsideration_until is not None:
            until = formats.date_format(content.reconsideration_until, "DATE_FORMAT")
            story += [
                Paragraph(escape(gettext("Reconsideration")), styles["heading"]),
                Paragraph(
                    escape(
                        gettext(
                            "If you disagree with this decision you may ask for it to be reconsidered within "
                            "%(days)s days of the decision, that is until %(until)s inclusive."
                        )
                        % {"days": content.reconsideration_days, "until": until}
                    ),
                    styles["body"],
                ),
                Paragraph(
                    escape(
                        gettext(
                            "To ask, sign in to the portal, open your case, choose \u201cRequest reconsideration\u201d "
                            "on this decision and explain why it should change. An officer other than the one who "
                            "decided will review your request, and you will receive a new decision letter."
                        )
                    ),
                    styles["body"],
                ),
            ]
        story += [
            Spacer(1, 6 * mm),
            Paragraph(
                escape(
                    gettext("This letter was produced by %(programme)s on the basis of the decision record above.")
                    % {"programme": content.programme_name}
                ),
                styles["small"],
            ),
        ]
        document.build(story)
    return buffer.getvalue()


# --- letters of stored decisions -------------------------------------------------------------------------------------


def get_decision_for(actor: Any, decision_id: int) -> Decision:
    """A decision whose letter ``actor`` may read: programme staff any, the candidate those of their own cases.

    ``NotFound`` otherwise, for a missing decision and someone else's alike (host staff and the
    authority see cases but not the candidate's letters).
    """
    decision = (
        Decision.objects.select_related("case__profile__user", "case__programme", "officer")
        .filter(pk=decision_id)
        .first()
        if isinstance(decision_id, int)
        else None
    )
    if decision is None:
        raise NotFound("decision")
    owner = decision.case.profile.user_id
    if not (
        is_programme_staff(actor) or (role_of(actor) == Role.CANDIDATE and owner is not None and owner == actor.pk)
    ):
        raise NotFound("decision")
    return decision


def letter_language(decision: Decision) -> str:
    """The candidate's preferred language when the platform offers it, else the platform's default."""
    user = decision.case.profile.user
    preferred = (getattr(user, "preferred_language", "") or "").split("-")[0].lower()
    offered = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in offered else settings.LANGUAGE_CODE


def _person_name(user: Any) -> str:
    if user is None:
        return gettext("the immigration authority")
    return user.get_full_name().strip() or user.email


def _programme_name(case: Any, language: str) -> str:
    programme = case.programme
    if programme is None:
        return gettext("Talent attraction programme")
    return (programme.name_ru if language == "ru" and programme.name_ru else programme.name_en) or programme.code


def _candidate_name(profile: Any, language: str) -> str:
    native = f"{profile.given_names_native} {profile.family_name_native}".strip()
    # A Russian letter addresses the person in the native script when the profile has it (Cyrillic names).
    if language == "ru" and native:
        return native
    return profile.display_name


def _basis(decision: Decision) -> str:
    if decision.policy_id:
        return gettext("Assessment policy %(policy)s, version %(version)s") % {
            "policy": decision.policy_id,
            "version": decision.policy_version,
        }
    return decision.legal_ground


def letter_content(decision: Decision, language: str) -> LetterContent:
    """What the letter of ``decision`` says, worded in ``language``."""
    from talentgate.cases import reconsideration

    case = decision.case
    with translation.override(language):
        decided_on = timezone.localdate(decision.decided_at)
        label = str(decision.get_kind_display())
        reconsiders = ""
        review = Reconsideration.objects.select_related("decision").filter(outcome=decision).first()
        if review is not None:
            original = review.decision
            outcome = gettext("upheld") if review.status == ReconsiderationStatus.UPHELD else gettext("overturned")
            label = gettext("Reconsideration: %(kind)s %(outcome)s") % {
                "kind": str(original.get_kind_display()),
                "outcome": outcome,
            }
            reconsiders = gettext("%(kind)s of %(date)s") % {
                "kind": str(original.get_kind_display()),
                "date": formats.date_format(timezone.localdate(original.decided_at), "DATE_FORMAT"),
            }
        until: date | None = None
        days: int | None = None
        if reconsideration.may_be_reconsidered(decision):
            days = reconsideration.window_days(case.programme_id)
            until = reconsideration.reconsideration_deadline(decision)
        return LetterContent(
            language=language,
            programme_name=_programme_name(case, language),
            case_reference=str(case.pk),
            candidate_name=_candidate_name(case.profile, language),
            decision_kind=decision.kind,
            decision_label=label,
            basis=_basis(decision),
            officer_name=_person_name(decision.officer),
            decided_on=decided_on,
            reasons=decision.reasons,
            reconsideration_until=until,
            reconsideration_days=days,
            reconsiders=reconsiders,
        )


def letter_pdf(actor: Any, decision_id: int, *, language: str | None = None) -> bytes:
    """The decision letter as PDF bytes, in the candidate's language unless ``language`` names another offered one.

    Access as :func:`get_decision_for`. Nothing is stored: the letter is rendered from the decision
    record each time, and the same record always gives the same bytes.
    """
    decision = get_decision_for(actor, decision_id)
    offered = {code for code, _name in settings.LANGUAGES}
    if language is not None and language not in offered:
        raise ValidationFailed.single(
            "language",
            "choice",
            gettext("Letters are written in %(languages)s; '%(value)s' is not one of them.")
            % {"languages": ", ".join(sorted(offered)), "value": language},
        )
    return render_letter(letter_content(decision, language or letter_language(decision)))


def letter_filename(decision: Decision) -> str:
    """A download name that says what the file is without personal data."""
    return f"decision-{decision.case_id}-{decision.pk}.pdf"
