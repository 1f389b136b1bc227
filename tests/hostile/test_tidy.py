"""Hostile input through the French option names (helper "tidy", issue 12): a value that is not a territory, a
control sequence, an option given twice under its two names. Said in French, once, with no traceback and no
control character on the terminal; nothing written."""

import pytest

from tests.report.test_cli_options import said

HOSTILE = ["bassin:\x1b[2J5314", "<script>alert(1)</script>", "--", "a" * 5000, "épci:２４３"]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("command", ["figures", "rank", "similar", "specialisation"])
def test_a_hostile_territory_is_refused_alike_under_both_names(demo_marts, capsys, command, value):
    french = said(capsys, [command, "--territoire", value])
    assert french == said(capsys, [command, "--territory", value])
    code, out, err = french
    assert code == 2 and not out and "Traceback" not in err and "\x1b" not in err
    assert "--territory" not in err  # the French name, when an option is named


def test_an_option_given_under_both_names_keeps_the_last_as_argparse_does(demo_marts, capsys):
    both = said(capsys, ["figures", "--territory", "dep:35", "--territoire", "bassin:5314", "--format", "json"])
    assert both == said(capsys, ["figures", "--territoire", "bassin:5314", "--format", "json"])


def test_an_export_under_the_french_names_writes_nothing_onto_a_folder(demo_marts, capsys, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    code, _, err = said(capsys, ["export", "--secteur", "btp", "--format", "pdf", "--sortie", str(folder)])
    assert code == 1 and "indiquez un nom de fichier (--sortie dossier/zoom.pdf)" in err
    assert list(folder.iterdir()) == []
