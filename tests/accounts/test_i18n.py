"""The English catalogue is complete and sound, and switching language switches the pages.

The catalogue is read with the small parser below (no polib: no extra dependency). The page tests
need a compiled catalogue; the .mo is not in git, so the session compiles the .po with `msgfmt`
into a temporary LOCALE_PATHS directory, and the pages are checked against that fresh build.
"""

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import trans_real

import waardig

PO_PATH = Path(waardig.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """Every entry of a .po file, the header included; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def value(literal: str) -> str:
        return ast.literal_eval(literal)  # PO quoting is a subset of Python's

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = target = None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif match := FIELD.match(line):
            name, index, literal = match.groups()
            if name.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = value(literal)
            else:
                target = (name, None)
                setattr(entry, name, value(literal))
        elif line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value(line)
            else:
                setattr(entry, name, getattr(entry, name) + value(line))
        else:
            raise ValueError(f"{PO_PATH.name}:{number}: cannot read {raw!r}")
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run `make messages`"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    """The translatable entries: everything but the header."""
    found = [e for e in entries if e.msgid or e.msgctxt is not None]
    assert found, "the English catalogue has no entries"
    return found


def translation_of(messages: list[Entry], msgid: str) -> str:
    return next(e.msgstr[0] for e in messages if e.msgid == msgid and e.msgctxt is None)


def test_header_declares_english_with_two_plural_forms(entries):
    header = entries[0]
    assert header.msgid == "" and header.msgctxt is None
    assert "fuzzy" not in header.flags, "a fuzzy header is ignored by msgfmt"
    assert "Language: en\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_no_entry_is_fuzzy(messages):
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries are not used at run time:\n" + "\n".join(fuzzy)


def test_every_entry_is_translated(messages):
    untranslated = []
    for e in messages:
        forms = [0, 1] if e.msgid_plural is not None else [0]
        if sorted(e.msgstr) != forms or not all(e.msgstr[i].strip() for i in forms):
            untranslated.append(str(e))
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def placeholders(pattern: re.Pattern, text: str) -> list[str]:
    """The placeholders of a text, sorted; unnamed ones (and %%) count by their whole spelling."""
    return sorted(match.group(1) or match.group(0) for match in pattern.finditer(text))


def sources_and_translations(e: Entry) -> list[tuple[str, str]]:
    """Each translation with the source it renders: msgid for [0], msgid_plural for the rest."""
    return [(e.msgid if i == 0 else e.msgid_plural, text) for i, text in sorted(e.msgstr.items())]


def test_python_format_placeholders_are_kept(messages):
    wrong = []
    for e in messages:
        if "python-format" not in e.flags:
            continue
        for source, text in sources_and_translations(e):
            if placeholders(PLACEHOLDER, source) != placeholders(PLACEHOLDER, text):
                wrong.append(f"{e}\n    -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_brace_format_placeholders_are_kept(messages):
    wrong = [
        f"{e}\n    -> {text!r}"
        for e in messages
        if "python-brace-format" in e.flags
        for source, text in sources_and_translations(e)
        if placeholders(BRACE_PLACEHOLDER, source) != placeholders(BRACE_PLACEHOLDER, text)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_no_template_syntax_in_translations(messages):
    """blocktranslate turns {{ name }} into %(name)s; a translation must not bring {{ }} back."""
    wrong = [
        f"{e}\n    -> {text!r}"
        for e in messages
        for text in e.msgstr.values()
        if "{{" in text or "{%" in text
    ]
    assert not wrong, "template syntax in translations:\n" + "\n".join(wrong)


def test_html_tags_are_kept(messages):
    wrong = [
        f"{e}\n    -> {text!r}"
        for e in messages
        for source, text in sources_and_translations(e)
        if sorted(HTML_TAG.findall(source)) != sorted(HTML_TAG.findall(text))
    ]
    assert not wrong, "HTML tags differ:\n" + "\n".join(wrong)


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    """A LOCALE_PATHS directory with the English catalogue compiled from the current .po."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        committed = PO_PATH.with_suffix(".mo")
        if committed.exists() and committed.stat().st_mtime >= PO_PATH.stat().st_mtime:
            return PO_PATH.parents[2]
        pytest.skip("msgfmt (GNU gettext) is not installed and no up-to-date django.mo exists")
    locale = tmp_path_factory.mktemp("locale")
    target = locale / "en" / "LC_MESSAGES" / "django.mo"
    target.parent.mkdir(parents=True)
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(target), str(PO_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt --check failed:\n{result.stderr}"
    return locale


def reset_translations() -> None:
    translation.deactivate()
    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture
def english_catalogue(settings, compiled_locale):
    settings.LOCALE_PATHS = [compiled_locale]
    reset_translations()
    yield
    reset_translations()


def choose_language(client: Client, language: str, next_url: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


@pytest.mark.django_db
def test_anonymous_home_page_switches_to_english(english_catalogue, messages):
    client = Client()
    dutch = client.get("/").content.decode()
    assert '<html lang="nl"' in dutch
    assert "Inloggen" in dutch

    choose_language(client, "en", "/")
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english
    assert translation_of(messages, "Inloggen") == "Log in"
    assert ">Log in<" in english
    assert "Inloggen" not in english
    assert '<option value="en" selected>' in english


def test_contact_list_switches_to_english(english_catalogue, messages, users):
    client = Client()
    client.force_login(users["venlo_officer"])
    url = "/organisaties/contactpersonen/"
    heading = "Contactpersonen per gemeente"

    dutch = client.get(url)
    assert dutch.status_code == 200
    assert '<html lang="nl"' in dutch.content.decode()
    assert heading in dutch.content.decode()

    choose_language(client, "en", url)
    english = client.get(url).content.decode()
    assert '<html lang="en"' in english
    assert escape(translation_of(messages, heading)) in english
    assert heading not in english

    choose_language(client, "nl", url)
    assert '<html lang="nl"' in client.get(url).content.decode()


def test_import_help_follows_the_language(english_catalogue, users):
    """Help texts built from parts stay lazy: they are not frozen in Dutch at import time."""
    client = Client()
    client.force_login(users["coordinator"])
    choose_language(client, "en", "/imports/action-list/")
    page = client.get("/imports/action-list/").content.decode()
    assert "Theme headings, separated by commas (default: Wonen" in page  # the field label
    columns = client.get("/imports/actions/").content.decode()
    assert "Latest status: not_started" in columns
