"""Every command takes French option names; the English names of earlier versions stay accepted (scripts keep
working) and give the same output; the help shows the French names and says the former ones."""

import re

import pytest

from pipelines.__main__ import ALIASES, main


def said(capsys, argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


# (command and its French options, the same with the former English names)
SPELLINGS = [
    (["figures", "--territoire", "bassin:5314", "--annee", "2024", "--nombre", "2", "--format", "json"],
     ["figures", "--territory", "bassin:5314", "--year", "2024", "--top", "2", "--format", "json"]),
    (["compare", "--territoires", "bassin:5314", "dep:35", "--annee", "2024", "--format", "csv"],
     ["compare", "--territories", "bassin:5314", "dep:35", "--year", "2024", "--format", "csv"]),
    (["rank", "--territoire", "dep:35", "--secteur", "btp", "--annee", "2024", "--format", "csv"],
     ["rank", "--territory", "dep:35", "--sector", "btp", "--year", "2024", "--format", "csv"]),
    (["specialisation", "--territoire", "bassin:5314", "--annee", "2024", "--format", "json"],
     ["specialisation", "--territory", "bassin:5314", "--year", "2024", "--format", "json"]),
    (["similar", "--territoire", "ze:5315", "--nombre", "3"], ["similar", "--territory", "ze:5315", "--nombre", "3"]),
    (["fetch", "--territoire", "xx:1"], ["fetch", "--territory", "xx:1"]),  # refused alike, before any download
    (["build", "--si-besoin"], ["build", "--if-needed"]),
]


@pytest.mark.parametrize("french, english", SPELLINGS, ids=[spelling[0][0] for spelling in SPELLINGS])
def test_french_and_english_option_names_give_the_same_output(demo_marts, capsys, french, english):
    got = said(capsys, french)
    assert got == said(capsys, english)
    assert got[1] or got[2]  # something was said: not two identical refusals of an unknown option
    assert "arguments non reconnus" not in got[2] and "erreur :" not in got[2]


def test_export_writes_the_same_pack_under_both_spellings(demo_marts, capsys, tmp_path):
    french, english = tmp_path / "fr.html", tmp_path / "en.html"
    assert said(capsys, ["export", "--secteur", "btp", "--territoire", "bassin:5314", "--annee", "2024",
                         "--format", "html", "--sortie", str(french)])[0] == 0
    assert said(capsys, ["export", "--sector", "btp", "--territory", "bassin:5314", "--year", "2024",
                         "--format", "html", "--output", str(english)])[0] == 0
    assert french.stat().st_size == english.stat().st_size > 0


def test_import_takes_forcer_as_it_took_force(data_dir, capsys, tmp_path):
    missing = str(tmp_path / "absent.csv")
    french, english = said(capsys, ["import", "--forcer", missing]), said(capsys, ["import", "--force", missing])
    assert french == english and french[0] == 1 and "absent.csv" in french[2]


@pytest.mark.parametrize("command", ["import", "fetch", "build", "figures", "export", "compare", "rank",
                                     "specialisation", "similar"])  # status has no option
def test_the_help_shows_the_french_names_and_says_the_former_ones(capsys, command):
    code, out, _ = said(capsys, [command, "--help"])
    text = " ".join(out.split())
    former = re.findall(r"ancien nom accepté : (--[a-z-]+)", text)
    assert code == 0 and former and all(english in ALIASES.values() for english in former)
    left = re.sub(r"ancien nom accepté : --[a-z-]+", "", text)  # an English name only where said to be the former
    assert not [english for english in ALIASES.values() if re.search(rf"{english}(?![\w-])", left)]


def test_the_rank_help_lists_every_indicator_of_the_catalogue(capsys):
    from pipelines.read.ranking import INDICATORS

    _, out, _ = said(capsys, ["rank", "--help"])
    text = " ".join(out.split())
    assert [code for code in INDICATORS if not re.search(rf"[ :,]{code}[,) ]", text)] == []
