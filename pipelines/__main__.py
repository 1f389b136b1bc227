"""Command line: python -m pipelines import|fetch|build|status|figures|export."""

import argparse
import dataclasses
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import atomic, datalock, paths
from pipelines.errors import BuildError, InputError, StorageError, storage_error
from pipelines.frformat import (
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_decimal,
    fmt_int,
    fmt_size,
    lower_first,
    period_text,
    plural,
)
from pipelines.ingest import fetch as fetcher
from pipelines.ingest import importer, leftovers, manifest
from pipelines.read import marts
from pipelines.report import figures, links
from pipelines.report.cli_text import figures_text
from pipelines.report.conventions import DEMO_NOTICE
from pipelines.report.safe_text import TerminalStream
from pipelines.sources import SOURCES
from pipelines.warehouse import build

DESCRIPTION = ("Zoom secteurs : importer ou télécharger les fichiers des éditeurs, construire les marts, lire les "
               "chiffres clés, exporter le zoom d'un secteur.")
# argparse speaks English ("usage:", "error:", "the following arguments are required"); everything a user reads
# is in French, so its messages go through this table (argparse looks its `_` and `ngettext` up at each call).
ARGPARSE_FR = {
    "usage: ": "usage : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix %(value)r invalide (possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "expected one argument": "une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s, parmi %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande %(parser_name)r inconnue (possibles : "
                                                              "%(choices)s)",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "un des arguments %s est obligatoire",
}
argparse._ = lambda message: ARGPARSE_FR.get(message, message)
argparse.ngettext = lambda singular, plural_form, count: argparse._(singular if count == 1 else plural_form)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of a text table (its header, if any, is the first row): each column as wide as its widest
    cell, so that no label overflows; the columns numbered in `right` (numbers) aligned right."""
    if not rows:
        return []
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.rjust(width) if column in right else cell.ljust(width)
                      for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


# What a writing command says when it could not write into data/ (read-only, full disk) before it started its own
# work: its failure, then what stayed as it was (in the words each command uses for its other failures).
WRITE_FAILED = {"import": ("ÉCHEC DE L'IMPORT", f" ; {importer.NOTHING_IMPORTED}"),
                "fetch": ("ÉCHEC DU TÉLÉCHARGEMENT", " ; les données déjà chargées n'ont pas changé"),
                "build": ("ÉCHEC DU BUILD", "\n{marts_kept}")}


# What a command interrupted by Ctrl-C says stayed as it was, after "Interrompu : …".
INTERRUPTED_WRITER = ("rien n'est en service à moitié écrit (une seule commande écrit à la fois dans {where}, "
                      "écritures atomiques) : les fichiers et les marts en service sont ceux d'avant, ou ceux que la "
                      "commande avait fini d'enregistrer ; la prochaine commande qui écrit efface ce que celle-ci "
                      "avait commencé")
INTERRUPTED_READER = "elle n'écrit rien dans {where}"
INTERRUPTED_EXPORT = "le fichier demandé n'est écrit qu'une fois complet : pas de fichier à moitié écrit"


def _interrupted(command: str | None) -> str:
    where = f"{paths.shown(paths.DATA_DIR)}/"
    if command is None:
        return "Interrompu."
    after = (INTERRUPTED_WRITER if command in WRITE_FAILED else INTERRUPTED_EXPORT if command == "export"
             else INTERRUPTED_READER)
    return f"Interrompu : commande {command} arrêtée ; {after.format(where=where)}."


def _writer(run):
    """A command that writes data/: run as its only writer, waiting for another one (see datalock), after
    removing what a killed one left. Refused (exit 1) if the other keeps it too long, or if data/ cannot be
    written at all (the lock file, the leftovers) or its manifest cannot be read. With wait=False, it does not
    wait: datalock.Held is raised at once if another writer is there."""
    def locked(args, wait: bool = True) -> int:
        failed, unchanged = WRITE_FAILED[args.command]
        try:
            with leftovers.writing(args.command, say, wait):
                return run(args)
        except datalock.Busy as error:
            say(str(error))
        except (StorageError, InputError) as error:
            say(f"{failed} : {error}{unchanged.format(marts_kept=_marts_kept())}")
        return 1
    return locked


def _marts_kept() -> str:
    """What a failed build left in service: the previous marts, or none at all."""
    return ("Les marts précédents restent en service." if paths.MARTS_DB.exists() else
            "Aucun marts n'était construit : lancez « python -m pipelines build » une fois le problème réglé.")


def cmd_import(args) -> int:
    # Every file is read and checked first, then one trial build checks them together (import_files).
    try:
        outcomes = importer.import_files([Path(name) for name in args.files], force=args.force, say=say)
    except StorageError as error:  # a failed write into data/: nothing was imported
        say(f"ÉCHEC DE L'IMPORT : {error}")
        return 1
    refused = [outcome for outcome in outcomes if isinstance(outcome, InputError)]
    for name, outcome in zip(args.files, outcomes, strict=True):
        if isinstance(outcome, InputError):
            say(f"REFUSÉ  {outcome}")
        else:
            say(f"  {name} : {outcome.status} : source {outcome.source}, période {outcome.period}, "
                f"{fmt_int(outcome.rows)} lignes")
    changed = any(not isinstance(outcome, InputError) and outcome.status != "inchangé" for outcome in outcomes)
    if refused and changed:  # the files that passed are imported all the same
        say(f"{fmt_count(len(refused), 'fichier refusé', 'fichiers refusés')}, non "
            f"{plural(len(refused), 'chargé', 'chargés')} ; les fichiers acceptés sont importés.")
    elif refused:
        say(f"{fmt_count(len(refused), 'fichier refusé', 'fichiers refusés')} ; les données déjà chargées n'ont "
            "pas changé.")
    if changed:  # only then are the marts out of date
        say("Lancez « python -m pipelines build » pour reconstruire les marts.")
    return 1 if refused else 0


def cmd_fetch(args) -> int:
    unknown = [name for name in args.sources if name not in SOURCES]
    if unknown:
        say(f"{plural(len(unknown), 'source inconnue', 'sources inconnues')} : {', '.join(unknown)} ; "
            f"sources : {', '.join(SOURCES)}")
        return 2
    try:
        territory = figures.parse_territory(args.territory)
    except ValueError as error:
        say(str(error))
        return 2
    outcomes = fetcher.fetch(args.sources or None, territory, say=say)
    print("\n".join(_table([["source", "statut", "lignes", "période", "durée", "raison"]] + [
        [outcome.source, outcome.status, fmt_int(outcome.rows), outcome.period or "",
         f"{fmt_decimal(outcome.seconds)} s", outcome.reason.splitlines()[0] if outcome.reason else ""]
        for outcome in outcomes], right=(2, 4))))
    failed = [outcome for outcome in outcomes if outcome.status == "échec"]
    unreached = next((outcome.unreached for outcome in outcomes if outcome.unreached), ())
    if unreached:
        # Offline is only said when nothing answered: no file can have changed.
        say(f"{fetcher.OFFLINE_REASON} : aucun éditeur n'a répondu ({', '.join(unreached)}) ; rien n'a changé "
            f"dans {paths.shown(paths.RAW_DIR)}/ (vérifiez la connexion, ou le proxy : HTTPS_PROXY).")
        return 1
    if failed:
        # A source may come in several files (URSSAF: communes, régions, France): count both.
        sources = len({outcome.name for outcome in failed})
        say(f"{fmt_count(len(failed), 'fichier')} en échec ({fmt_count(sources, 'source')}) ; "
            "leurs fichiers déjà chargés n'ont pas changé.")
    elif any(outcome.status in ("nouveau", "remplacé") for outcome in outcomes):
        say("Lancez « python -m pipelines build » pour reconstruire les marts.")
    return 1 if failed else 0


UP_TO_DATE = "Marts à jour : rien à reconstruire"


def run_build(args) -> int:
    """`build`; `build --if-needed` (`make run`, before it starts the dashboard) takes no lock when the marts are
    up to date, and does not wait for another writer (a long `fetch`) when there are marts in service built by this
    code: the dashboard then starts on those. With no marts, or marts of another code version, it waits as a build
    does."""
    if not args.if_needed:
        return _locked_build(args)
    if build.up_to_date():
        say(UP_TO_DATE)
        return 0
    try:
        # Marts of another code version may not fit the pages: then it waits for the writer and rebuilds.
        return _locked_build(args, wait=not (paths.MARTS_DB.exists() and build.of_this_code()))
    except datalock.Held as error:
        say(f"{error} : les marts en service sont utilisés tels quels, sans attendre (ils ne reflètent peut-être "
            "pas encore ses fichiers : relancez « python -m pipelines build » quand elle aura fini).")
        return 0


def cmd_build(args) -> int:
    if args.if_needed and build.up_to_date():  # again once locked: another writer may just have built them
        say(UP_TO_DATE)
        return 0
    try:
        result = build.build(say=say)
    except (BuildError, InputError, duckdb.Error, OSError) as error:
        say(f"ÉCHEC DU BUILD : {storage_error(error) or error}")  # a full disk or read-only data/ said in French
        say(_marts_kept())
        return 1
    say(f"Marts construits en {result.seconds:.1f} s : {result.path}")
    for line in _table([["table", "lignes"], *([name, fmt_int(rows)] for name, rows in result.rows.items())],
                       right=(1,)):
        say(f"  {line}")
    if result.unmapped_metiers:
        say(f"  Métiers hors nomenclature (comptés dans « Tous secteurs » seulement) : "
            f"{', '.join(result.unmapped_metiers)}")
    if result.bassins_without_communes:
        shown = ", ".join(result.bassins_without_communes[:12])
        more = len(result.bassins_without_communes) - 12
        say(f"  ATTENTION : {fmt_count(len(result.bassins_without_communes), 'bassin')} BMO sans commune dans le "
            f"zonage de l'année (correspondance communes → bassins tronquée ou d'un autre zonage ?) : {shown}"
            + (f" … et {fmt_count(more, 'autre')}" if more > 0 else ""))
    if result.unknown_list_communes:
        unknown = len(result.unknown_list_communes)
        say(f"  ATTENTION : {fmt_count(unknown, 'commune inconnue', 'communes inconnues')} dans "
            f"{paths.COMMUNE_LISTS.name} ({plural(unknown, 'laissée', 'laissées')} hors des sommes) : "
            f"{', '.join(result.unknown_list_communes)}")
    if result.unmatched_geometry_communes:
        unmatched = result.unmatched_geometry_communes
        say(f"  Contours : {fmt_count(len(unmatched), 'commune')} du fichier de contours hors des zonages chargés et "
            "sans fusion connue (gardées sous leur code ; le fichier v_mvt_commune_AAAA.csv d'Insee rattache les "
            f"communes fusionnées) : {', '.join(unmatched[:12])}"
            + (f" … et {fmt_count(len(unmatched) - 12, 'autre')}" if len(unmatched) > 12 else ""))
    if result.demo_sources:
        say(f"  {DEMO_NOTICE} (aucun fichier réel chargé)")
    if result.set_aside:
        say(f"  Fichiers de démonstration mis de côté : {manifest.DEMO_SET_ASIDE_REASON}.")
    if result.not_loaded and not result.demo_sources:
        say(f"  Sources non chargées : {', '.join(result.not_loaded)} (python -m pipelines status dit comment "
            "les charger)")
    return 0


_locked_build = _writer(cmd_build)


def _age(iso: str) -> str:
    days = (datetime.now(UTC) - datetime.fromisoformat(iso)).days
    return "aujourd'hui" if days == 0 else f"il y a {days} j"


def cmd_status(args) -> int:
    entries = manifest.all_entries()
    chosen = manifest.entries_for_build()
    used = {(e["source"], e["path"], e["demo"]) for e in chosen}
    # The scope tells apart the files of one source and period (URSSAF: communes, régions, France).
    print("\n".join(_table([["source", "période", "périmètre", "nature", "utilisé", "chargé", "origine"]] + [
        [entry["source"], period_text(entry["period"]), entry.get("scope", ""), "démo" if entry["demo"] else "réel",
         "oui" if (entry["source"], entry["path"], entry["demo"]) in used else "non (mis de côté)",
         f"{fmt_date(entry['retrieved_at'])} ({_age(entry['retrieved_at'])})", manifest.origin_text(entry)]
        for entry in sorted(entries, key=lambda e: (e["source"], e["period"], e.get("scope", ""), e["demo"]))])))
    print()
    print("\n".join(_status_notes(chosen, manifest.set_aside())))
    if not paths.MARTS_DB.exists():
        print("\nMarts : pas encore construits (python -m pipelines build)")
        return 0
    built = fmt_datetime(datetime.fromtimestamp(paths.MARTS_DB.stat().st_mtime, UTC))
    print(f"\nMarts : {paths.MARTS_DB} (mis en service le {built})")
    if not build.up_to_date():
        print("Les marts ne reflètent pas encore ces fichiers : lancez « python -m pipelines build ».")
    return 0


def _status_notes(chosen: list[dict], set_aside: list[dict]) -> list[str]:
    """Which files a build uses: the demo files (no real file yet), or the real ones with the demo files set
    aside, and then how to load each source that has no real file."""
    if any(entry["demo"] for entry in chosen):
        return ["Fichiers utilisés : les fichiers fictifs de démonstration (aucun fichier réel chargé) ; "
                "chargez les vrais avec « python -m pipelines fetch » ou « python -m pipelines import FICHIERS »."]
    lines = [f"Fichiers utilisés : {fmt_count(len(chosen), 'fichier réel', 'fichiers réels')} (« utilisé : oui »)."]
    if set_aside:
        lines.append(f"Fichiers de démonstration mis de côté ({fmt_int(len(set_aside))}) : "
                     f"{manifest.DEMO_SET_ASIDE_REASON}.")
    loaded = {entry["source"] for entry in chosen}
    lines += [f"  {name} : {figures.not_loaded_text(source.catalog_row())}" for name, source in SOURCES.items()
              if name not in loaded]
    return lines


def _from_marts(spec: str, read):
    """read(con, territory_type, territory_code) on the marts for a --territory spec: (result, 0), or
    (None, exit code) once the reason has been said (2: a malformed spec; 1: no marts, unknown territory...)."""
    try:
        territory = figures.parse_territory(spec)
    except ValueError as error:
        say(str(error))
        return None, 2
    try:
        with marts.connect() as con:
            return read(con, *territory), 0
    except (LookupError, InputError) as error:
        say(str(error))
        return None, 1
    except duckdb.Error:  # marts of an older version of the code (a column or table it lacks)
        say(f"{paths.MARTS_DB} : marts construits par une version précédente du code : lancez "
            "« python -m pipelines build ».")
        return None, 1


def cmd_figures(args) -> int:
    data, code = _from_marts(args.territory, lambda con, kind, place: figures.key_figures(
        con, kind, place, args.year, top=args.top))
    if code:
        return code
    if args.format == "json":
        print(json.dumps(dataclasses.asdict(data), ensure_ascii=False, indent=2, default=str))
    else:
        print(figures_text(data))
        if args.year and data.year != args.year:
            say(f"--year {args.year} choisit l'année de l'enquête BMO, sans objet ici ; les autres sources montrent "
                "leur dernière année.")
    return 0


# Where the dashboard's zoom page answers: the QR code of the exports opens the same view there.
DEFAULT_ZOOM_URL = os.environ.get("ZOOM_SECTEURS_URL", links.DEFAULT_ZOOM_URL)


def cmd_export(args) -> int:
    """The zoom of one sector and territory as an offline HTML pack or a PDF of the workshop slides."""
    from pipelines.report.export_html import zoom_pack
    from pipelines.report.export_pdf import slides_pdf
    from pipelines.report.slides import build_slides, view_query
    from pipelines.report.zoom import zoom
    from pipelines.report.zoom_charts import zoom_charts

    output = Path(args.output)
    if problem := _unwritable(output):  # said before the marts are read and the pages rendered
        say(f"Écriture impossible de {output} : {problem} ; {NOTHING_WRITTEN}.")
        return 1
    zoomed, code = _from_marts(args.territory, lambda con, kind, place: zoom(con, args.sector, kind, place,
                                                                             args.year))
    if code:
        return code
    charts = zoom_charts(zoomed)
    territory = zoomed.territory
    link = f"{args.url}?{view_query(args.sector, territory['type'], territory['code'], zoomed.year)}"
    slides = build_slides(zoomed, charts, link)
    if warning := links.local_link_warning(link):
        say(f"Attention : {lower_first(warning)}")
    say(f"Zoom {zoomed.sector['label']} · {zoomed.perimeter} : {len(charts)} graphiques, "
        f"{len(slides)} diapositives")
    if args.format == "html":
        content = zoom_pack(zoomed, charts, slides).encode("utf-8")
    else:
        content = slides_pdf(slides, progress=lambda done, total: say(f"  page {done}/{total}"))
    try:
        _write_whole(output, content)
    except OSError as error:
        say(f"{storage_error(error, NOTHING_WRITTEN)}.")  # "disque plein : impossible d'écrire X ; rien n'a…"
        return 1
    say(f"Écrit : {output} ({fmt_size(len(content))})")
    return 0


NOTHING_WRITTEN = "rien n'a été écrit"


def _unwritable(output: Path) -> str | None:
    """Why `output` cannot be written (in French), or None: checked before the work of an export."""
    folder = output.parent
    if output.is_dir():
        return "c'est un dossier ; indiquez un nom de fichier (--output dossier/zoom.pdf)"
    if output.exists() and not output.resolve().is_file():  # a device, a pipe: never renamed over
        return "ce n'est pas un fichier ordinaire (périphérique, tube…) ; indiquez un nom de fichier"
    if not folder.exists():
        return f"dossier « {folder} » introuvable"
    if not folder.is_dir():
        return f"« {folder} » n'est pas un dossier"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"dossier « {folder} » en lecture seule (droit d'écriture refusé)"
    return None


def _write_whole(output: Path, content: bytes) -> None:
    """Write `content` to `output` whole or not at all (atomic.replacing): a full disk or a Ctrl-C never leaves
    half a file, nor replaces a previous export with one. A link is written through (its target replaced)."""
    with atomic.replacing(output.resolve()) as scratch:
        scratch.write_bytes(content)


def _add_territory(parser: argparse.ArgumentParser) -> None:
    # The forms come from figures.parse_territory's own table, so the help cannot drift from what it accepts.
    parser.add_argument("--territory", default="bassin:5314",
                        help=f"territoire, parmi {figures.TERRITORY_FORMS} (défaut : %(default)s)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, title="commandes", metavar="commande")
    imported = commands.add_parser("import", help="importer des fichiers téléchargés (xlsx/csv)")
    imported.add_argument("files", nargs="+")
    imported.add_argument("--force", action="store_true",
                          help="remplacer même si le nouveau fichier a beaucoup moins de lignes")
    imported.set_defaults(run=_writer(cmd_import))
    fetched = commands.add_parser("fetch", help="télécharger les sources chez leurs éditeurs")
    fetched.add_argument("sources", nargs="*", help=f"sources (défaut : toutes) parmi {', '.join(SOURCES)}")
    _add_territory(fetched)
    fetched.set_defaults(run=_writer(cmd_fetch))
    built = commands.add_parser("build", help="construire les marts")
    built.add_argument("--if-needed", action="store_true",
                       help="seulement si les fichiers bruts ou le code ont changé depuis le dernier build")
    built.set_defaults(run=run_build)
    commands.add_parser("status", help="fichiers chargés, origine, fraîcheur").set_defaults(run=cmd_status)
    figure = commands.add_parser("figures", help="chiffres clés par secteur")
    _add_territory(figure)
    figure.add_argument("--year", type=int, help="année de l'enquête BMO (défaut : la dernière) ; les autres "
                        "sources montrent leur dernière année")
    figure.add_argument("--top", type=int, default=5, help="nombre de métiers par secteur")
    figure.add_argument("--format", choices=["json", "text"], default="text")
    figure.set_defaults(run=cmd_figures)
    exported = commands.add_parser("export", help="exporter le zoom d'un secteur : pack HTML hors ligne ou PDF")
    exported.add_argument("--sector", required=True, help="btp, travaux_publics, numerique, iaa, agriculture")
    _add_territory(exported)
    exported.add_argument("--year", type=int, help="année de l'enquête BMO (défaut : la dernière)")
    exported.add_argument("--format", choices=["html", "pdf"], required=True)
    exported.add_argument("--output", required=True, help="fichier à écrire")
    exported.add_argument("--url", default=DEFAULT_ZOOM_URL,
                          help="adresse de la page Zoom secteur du tableau de bord (QR code) ; "
                               "défaut : $ZOOM_SECTEURS_URL ou %(default)s")
    exported.set_defaults(run=cmd_export)
    return parser


def main(argv=None) -> int:
    # Labels read from files are printed: no control character of theirs reaches the terminal (safe_text).
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv) -> int:
    args = None
    try:
        args = _parser().parse_args(argv)
        code = args.run(args)
        sys.stdout.flush()  # here rather than at exit, so that a closed pipe is caught below
        return code
    except StorageError as error:  # a failed write into data/ by any command (fetch imports what it downloads)
        say(str(error))
        return 1
    except InputError as error:  # a manifest that cannot be read (status, build --if-needed read it first)
        say(str(error))
        return 1
    except KeyboardInterrupt:  # Ctrl-C, while waiting for the lock or anywhere else
        say(_interrupted(args.command if args is not None else None))
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly. Python flushes stdout again at exit, so point it
        # at /dev/null first, or that flush fails too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
