"""Command line: python -m pipelines import|fetch|build|status|figures|export|compare|rank|specialisation|similar|
note|editions."""

import argparse
import copy
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
    display_name,
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
from pipelines.read import ranking as ranking_read
from pipelines.read import specialisation as specialisation_read
from pipelines.report import downloads, figures, links
from pipelines.report import specialisation as specialisation_report
from pipelines.report.cli_text import figures_text
from pipelines.report.cli_text import text_table as _table
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


# What a writing command says when it could not write into data/ (read-only, full disk) before it started its own
# work: its failure, then what stayed as it was (in the words each command uses for its other failures).
WRITE_FAILED = {"import": ("ÉCHEC DE L'IMPORT", f" ; {importer.NOTHING_IMPORTED}"),
                "fetch": ("ÉCHEC DU TÉLÉCHARGEMENT", " ; les données déjà chargées n'ont pas changé"),
                "build": ("ÉCHEC DU BUILD", "\n{marts_kept}"),
                "note": ("ÉCHEC DE LA PUBLICATION", " ; aucune édition n'a été écrite")}


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
        # An address may have moved at the publisher: where to get each file by hand (the address asked, and the
        # source's page, where a newer address would be found).
        for name in dict.fromkeys(outcome.name for outcome in failed):
            source = SOURCES[name]
            asked = [outcome.url for outcome in failed if outcome.name == name and outcome.url]
            say(f"  {name} : " + (f"à charger : {source.load_hint}" if source.load_hint else
                                  "téléchargez le fichier à la main" + (f" ({', '.join(asked)})" if asked else "")
                                  + f" depuis {source.url} puis « python -m pipelines import FICHIER »"))
    elif any(outcome.status in ("nouveau", "remplacé") for outcome in outcomes):
        say("Lancez « python -m pipelines build » pour reconstruire les marts.")
    return 1 if failed else 0


UP_TO_DATE = "Marts à jour : rien à reconstruire"


def run_build(args) -> int:
    """`build`; `build --si-besoin` (`make run`, before it starts the dashboard) takes no lock when the marts are
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
            f"{' ou '.join(path.name for path in build.list_files() if path.exists())} "
            f"({plural(unknown, 'laissée', 'laissées')} hors des sommes) : "
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
    """read(con, territory_type, territory_code) on the marts for a --territoire spec: (result, 0), or
    (None, exit code) once the reason has been said (2: a malformed spec; 1: no marts, unknown territory...)."""
    try:
        territory = figures.parse_territory(spec)
    except ValueError as error:
        say(str(error))
        return None, 2
    return _on_marts(lambda con: read(con, *territory))


def _on_marts(read):
    """read(con) on the marts: (result, 0), or (None, 1) once the reason has been said (no marts, unknown
    territory, marts of an older code)."""
    try:
        with marts.connect() as con:
            return read(con), 0
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
            say(f"--annee {args.year} choisit l'année de l'enquête BMO, sans objet ici ; les autres sources montrent "
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
        return "c'est un dossier ; indiquez un nom de fichier (--sortie dossier/zoom.pdf)"
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


def cmd_compare(args) -> int:
    """2 to 6 territories side by side: the comparison table of the explorer's "Comparer" view."""
    from pipelines.read.compare import check_count, compare
    from pipelines.report import compare as worded
    from pipelines.report.downloads import csv_bytes

    try:
        places = list(dict.fromkeys(figures.parse_territory(spec) for spec in args.territories))
        check_count(places)
    except ValueError as error:
        say(str(error))
        return 2
    data, code = _on_marts(lambda con: compare(con, places, args.year))
    if code:
        return code
    if args.format == "json":
        print(json.dumps(dataclasses.asdict(data), ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":  # the page's CSV, with line feeds (a terminal shows a carriage return as garbage)
        print(csv_bytes(worded.table(data)).decode("utf-8").replace("\r\n", "\n"), end="")
    else:
        shown = worded.shown_table(data)
        print("Comparaison : " + " ; ".join(worded.place_title(place) for place in data.places))
        print("\n".join(_table([list(shown.columns), *shown.astype(str).values.tolist()],
                               right=tuple(range(2, len(shown.columns))))))
        print("\n".join(worded.notes(data)))
        if data.demo:
            print(f"{DEMO_NOTICE} : les chiffres affichés sont inventés.")
    return 0


def cmd_rank(args) -> int:
    """Every territory of a level ranked on one indicator (report.ranking.ranking_view: the page's numbers)."""
    from pipelines.read.ranking import LEVEL_NAMES, LEVELS
    from pipelines.report import ranking as ranking_report
    from pipelines.report.downloads import csv_bytes

    level = figures.TERRITORY_PREFIXES.get(args.niveau.lower()) if args.niveau else None
    if args.niveau and level not in LEVELS:
        say(f"niveau « {args.niveau[:40]} » invalide ; niveaux : {LEVEL_NAMES}")
        return 2

    def read(con, kind, code):
        view = ranking_report.ranking_view(con, args.indicateur, args.secteur, level or kind, args.echelle,
                                           args.annee)
        return view, code

    result, code = _from_marts(args.territory, read)  # a RankingError (LookupError) is said there
    if code:
        return code
    view, chosen = result
    if args.format == "json":
        print(json.dumps(ranking_report.ranking_json(view.ranking, view.sector, view.scope_name, chosen),
                         ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":
        # The download's CSV (BOM, semicolons, decimal commas), its lines ended as the terminal or file expects:
        # written as text, so that it passes through the terminal's filter (safe_text.TerminalStream) like all output.
        print(csv_bytes(ranking_report.download_table(view.ranking)).decode("utf-8").replace("\r\n", "\n"), end="")
    else:
        print("\n".join(ranking_report.ranking_lines(view.ranking, view.sector, view.scope_name, chosen)))
    return 0


def _size_factor(text: str) -> float:
    """--taille: a factor above 1 (2: from half to twice the territory's size), decimal point or comma."""
    try:
        factor = float(text.replace(",", "."))
    except ValueError:
        factor = None
    if factor is None or not 1 < factor < 1000:
        raise argparse.ArgumentTypeError(f"« {text} » : un facteur supérieur à 1, comme 2 (de la moitié au double)")
    return factor


def _peer_count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100:
        raise argparse.ArgumentTypeError(f"« {text} » : un nombre entier de 1 à 100")
    return int(text)


def cmd_similar(args) -> int:
    """The territories of the same level with the closest sector mix: the explorer's view, as JSON, CSV or text."""
    from pipelines.read.similar import similar
    from pipelines.report import downloads
    from pipelines.report import similar as words

    found, code = _from_marts(args.territory, lambda con, kind, place: similar(con, kind, place, args.nombre,
                                                                               args.taille))
    if code:
        return code
    if args.format == "json":
        print(json.dumps(words.as_json(found), ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":  # the page's download, lines ended by LF on a terminal
        print(downloads.csv_bytes(words.peers_table(found)).decode("utf-8-sig").replace("\r\n", "\n"), end="")
    else:
        print(words.similar_text(found))
    return 0


def cmd_specialisation(args) -> int:
    """Location quotients (or, with --depuis/--jusqu-a, the shift-share of salaried employment): the numbers of the
    explorer's views, from the same read functions."""
    shift = args.depuis is not None or args.jusqu_a is not None
    if shift and args.source == "bmo":
        say("--depuis et --jusqu-a décomposent l'évolution de l'emploi salarié : source « urssaf » seulement.")
        return 2
    peers = tuple(code.strip() for code in (args.pairs or "").split(",") if code.strip())
    if shift:
        data, code = _from_marts(args.territory, lambda con, kind, place: specialisation_read.shift_share(
            con, kind, place, args.depuis, args.jusqu_a, reference=args.reference, peers=peers))
    else:
        data, code = _from_marts(args.territory, lambda con, kind, place: specialisation_read.location_quotients(
            con, kind, place, source=args.source, reference=args.reference, peers=peers, year=args.annee))
    if code:
        return code
    if args.format == "json":
        print(json.dumps({key: value for key, value in dataclasses.asdict(data).items() if key != "exact"},
                         ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":
        table = (specialisation_report.shift_table(data) if shift
                 else specialisation_report.quotient_table(data, data.sectors + data.details))
        csv = downloads.csv_bytes(table) if shift else specialisation_report.quotient_csv(table)
        # The spreadsheet's CSV, its line ends as a terminal's (a carriage return would be shown as a control).
        sys.stdout.write(csv.decode("utf-8-sig").replace("\r\n", "\n"))
    else:
        print(specialisation_report.shift_text(data) if shift else specialisation_report.specialisation_text(data))
    if data.is_demo:
        say(f"{DEMO_NOTICE} : les chiffres affichés sont inventés.")
    return 0


EDITION_DEMO = (f"{DEMO_NOTICE} : des chiffres publiés viennent des fichiers fictifs de démonstration ; ils "
                "ne décrivent aucun territoire réel.")


def _note_table_text(table) -> str:
    """A note_model.Table on a terminal: its columns aligned (figures on the right), then its notes."""
    right = tuple(range(3, len(table.columns))) if table.columns and table.columns[0] == "Indicateur" else ()
    return "\n".join([*_table([list(table.columns), *table.rows], right=right), *table.notes])


def cmd_note(args) -> int:
    """Publish the territory's monthly note: a new edition, a revision (figures changed since the month's latest
    revision), or nothing (exit 3) when its figures are those of the month's latest revision."""
    from pipelines.publish import editions as publisher
    from pipelines.read import editions as archive
    from pipelines.read.note import note_figures
    from pipelines.report.edition_diff import diff_table, edition_text

    try:
        month = archive.parse_month(args.month or datetime.now(UTC).strftime("%Y-%m"))
    except ValueError as error:
        say(str(error))
        return 1
    data, code = _from_marts(args.territory, lambda con, kind, place: note_figures(con, kind, place, month))
    if code:
        return code
    if problem := archive.month_problem(data, month, datetime.now(UTC).date()):
        say(f"{problem} ; {publisher.NOTHING_PUBLISHED}.")
        return 1
    if archive.has_demo(data):
        say(EDITION_DEMO)
    result = publisher.publish(data, month, files=manifest.all_entries(), say=say)
    # Named as the note names it ("RENNES" in the marts: "Rennes").
    name, edition = display_name(data["territory"]["name"] or data["territory"]["code"]), result.edition
    where = f"{paths.shown(edition.folder)}/"
    if result.status == publisher.UNCHANGED:
        why = ("les fichiers bruts ont changé sans changer aucun chiffre de la note : chiffres identiques"
               if result.raw_files_changed else "chiffres identiques")
        print(f"Inchangée : {name}, {period_text(month)} : {why} à ceux de l'édition de "
              f"{edition_text(edition)} ({where}) ; rien n'a été publié.")
        return 3
    if result.status == publisher.NEW:
        print(f"Nouvelle édition : {name}, {period_text(month)} : {where}")
    else:
        print(f"Révision {edition.revision} de l'édition {figures.of_name(period_text(month))} : {name} : {where}")
        print("Chiffres révisés depuis la révision précédente :")
        print(_note_table_text(diff_table(result.revised, data)))
    print(f"Fichiers : {', '.join(archive.EDITION_FILES)}")
    return 0


def cmd_editions(args) -> int:
    """The editions of a territory (month, revision, date), or what changed between two of them."""
    from pipelines.read import editions as archive
    from pipelines.report.edition_diff import diff_table, edition_text

    try:
        kind, code = figures.parse_territory(args.territory)
    except ValueError as error:
        say(str(error))
        return 2
    spec = archive.spec_for(kind, code)
    for problem in archive.skipped(spec) if spec else []:
        say(f"Attention : {problem}")
    found = archive.editions(spec) if spec else []
    if not found:
        say(f"Aucune édition publiée pour le territoire {args.territory} dans {paths.shown(paths.EDITIONS_DIR)}/ "
            f"(« python -m pipelines note --territoire {args.territory} » en publie une).")
        return 1 if args.compare else 0
    if not args.compare:
        print("\n".join(_table([["édition", "nom (--comparer)", "dossier"]] + [
            [edition_text(edition), archive.reference(edition, found), f"{paths.shown(edition.folder)}/"]
            for edition in found])))
        if any(archive.has_demo(archive.figures_of(edition)) for edition in found):
            say(EDITION_DEMO)
        return 0
    try:
        chosen = [archive.find(spec, *archive.parse_reference(text)) for text in args.compare]
    except ValueError as error:
        say(str(error))
        return 1
    for text, edition in zip(args.compare, chosen, strict=True):
        if edition is None:
            say(f"Pas d'édition {text} pour le territoire {args.territory} (« python -m pipelines editions "
                f"--territoire {args.territory} » les liste).")
            return 1
    old, new = (archive.figures_of(edition) for edition in chosen)
    print(f"Différences entre l'édition {figures.of_name(edition_text(chosen[0]))} et celle "
          f"{figures.of_name(edition_text(chosen[1]))} :")
    print(_note_table_text(diff_table(archive.diff(old, new), new)))
    if archive.has_demo(old) or archive.has_demo(new):
        say(EDITION_DEMO)
    return 0


# Option names are French; the English names of earlier versions stay accepted, so that scripts keep working. The
# help shows the French name only, and says the former one.
ALIASES = {"--territoire": "--territory", "--territoires": "--territories", "--annee": "--year",
           "--secteur": "--sector", "--sortie": "--output", "--nombre": "--top", "--si-besoin": "--if-needed",
           "--forcer": "--force", "--mois": "--month", "--comparer": "--compare"}


class _Help(argparse.HelpFormatter):
    """Lists an option under its French name (its English alias is said in its help text)."""

    def _format_action_invocation(self, action):
        if any(option in ALIASES.values() for option in action.option_strings):
            action = copy.copy(action)
            action.option_strings = [option for option in action.option_strings if option not in ALIASES.values()]
        return super()._format_action_invocation(action)


_action_name = argparse._get_action_name


def _french_action_name(argument) -> str | None:
    """argparse's errors name an option by its French name alone ('argument --nombre', not '--nombre/--top')."""
    if argument is not None and set(argument.option_strings) & set(ALIASES.values()):
        return "/".join(option for option in argument.option_strings if option not in ALIASES.values())
    return _action_name(argument)


argparse._get_action_name = _french_action_name


def _option(parser: argparse.ArgumentParser, name: str, **kwargs) -> None:
    """The option `name`, and its former English name (ALIASES) as an alias when it had one."""
    alias = ALIASES.get(name)
    if alias and kwargs.get("help"):
        kwargs["help"] += f" ; ancien nom accepté : {alias}"
    parser.add_argument(name, *([alias] if alias else []), **kwargs)


def _add_territory(parser: argparse.ArgumentParser) -> None:
    # The forms come from figures.parse_territory's own table, so the help cannot drift from what it accepts.
    _option(parser, "--territoire", dest="territory", metavar="TERRITOIRE", default="bassin:5314",
            help=f"territoire, parmi {figures.TERRITORY_FORMS} (défaut : %(default)s)")


def _formats(parser: argparse.ArgumentParser, choices: list[str], required: bool = False) -> None:
    default = "" if required else " (défaut : %(default)s)"
    parser.add_argument("--format", choices=choices, default=None if required else "text", required=required,
                        help=f"format de sortie : {', '.join(choices)}{default}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=DESCRIPTION, formatter_class=_Help)

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, formatter_class=_Help, **kwargs)

    commands = parser.add_subparsers(dest="command", required=True, title="commandes", metavar="commande")
    imported = command("import", help="importer des fichiers téléchargés (xlsx/csv)")
    imported.add_argument("files", nargs="+", metavar="fichiers", help="fichiers des éditeurs à importer")
    _option(imported, "--forcer", dest="force", action="store_true",
            help="remplacer même si le nouveau fichier a beaucoup moins de lignes")
    imported.set_defaults(run=_writer(cmd_import))
    fetched = command("fetch", help="télécharger les sources chez leurs éditeurs")
    fetched.add_argument("sources", nargs="*", help=f"sources (défaut : toutes) parmi {', '.join(SOURCES)}")
    _add_territory(fetched)
    fetched.set_defaults(run=_writer(cmd_fetch))
    built = command("build", help="construire les marts")
    _option(built, "--si-besoin", dest="if_needed", action="store_true",
            help="seulement si les fichiers bruts ou le code ont changé depuis le dernier build")
    built.set_defaults(run=run_build)
    command("status", help="fichiers chargés, origine, fraîcheur").set_defaults(run=cmd_status)
    figure = command("figures", help="chiffres clés par secteur")
    _add_territory(figure)
    _option(figure, "--annee", dest="year", metavar="ANNEE", type=int,
            help="année de l'enquête BMO (défaut : la dernière) ; les autres sources montrent leur dernière année")
    _option(figure, "--nombre", dest="top", metavar="NOMBRE", type=int, default=5,
            help="nombre de métiers par secteur (défaut : %(default)s)")
    _formats(figure, ["json", "text"])
    figure.set_defaults(run=cmd_figures)
    exported = command("export", help="exporter le zoom d'un secteur : pack HTML hors ligne ou PDF")
    _option(exported, "--secteur", dest="sector", metavar="SECTEUR", required=True,
            help="btp, travaux_publics, numerique, iaa, agriculture")
    _add_territory(exported)
    _option(exported, "--annee", dest="year", metavar="ANNEE", type=int,
            help="année de l'enquête BMO (défaut : la dernière)")
    _formats(exported, ["html", "pdf"], required=True)
    _option(exported, "--sortie", dest="output", metavar="FICHIER", required=True, help="fichier à écrire")
    exported.add_argument("--url", default=DEFAULT_ZOOM_URL, metavar="ADRESSE",
                          help="adresse de la page Zoom secteur du tableau de bord (QR code) ; "
                               "défaut : $ZOOM_SECTEURS_URL ou %(default)s")
    exported.set_defaults(run=cmd_export)
    compared = command("compare", help="comparer de 2 à 6 territoires, secteur par secteur")
    _option(compared, "--territoires", dest="territories", nargs="+", required=True, metavar="TERRITOIRE",
            help=f"de 2 à 6 territoires, parmi {figures.TERRITORY_FORMS}")
    _option(compared, "--annee", dest="year", metavar="ANNEE", type=int,
            help="année de l'enquête BMO (défaut : la dernière)")
    _formats(compared, ["json", "csv", "text"])
    compared.set_defaults(run=cmd_compare)
    ranked = command("rank", help="classer tous les territoires d'un niveau sur un indicateur")
    ranked.add_argument("--indicateur", default="projets", metavar="INDICATEUR",
                        help="indicateur (défaut : %(default)s) : " + ", ".join(ranking_read.INDICATORS))
    _option(ranked, "--secteur", default="ensemble", metavar="SECTEUR",
            help="secteur (btp, travaux_publics, numerique, iaa, agriculture, ensemble), section a38:CODE, "
                 "famille FAP famille:B2X (FAP 2021) ou famille:B2Z (FAP 2009, tension), "
                 "ou métier fap:B2X31 / rome:F1703 (défaut : %(default)s)")
    ranked.add_argument("--niveau", metavar="NIVEAU", help="niveau classé : bassin, ze, epci, dep, reg, commune "
                                                           "(défaut : celui du territoire)")
    ranked.add_argument("--echelle", default="fr", metavar="ECHELLE",
                        help="fr, reg:CODE ou dep:CODE (défaut : %(default)s)")
    _option(ranked, "--annee", type=int, metavar="ANNEE", help="année (défaut : la dernière chargée)")
    _add_territory(ranked)
    _formats(ranked, ["json", "csv", "text"])
    ranked.set_defaults(run=cmd_rank)
    special = command("specialisation", help="indices de spécialisation d'un territoire, ou décomposition de "
                      "l'évolution de l'emploi salarié (--depuis, --jusqu-a)")
    _add_territory(special)
    special.add_argument("--reference", choices=list(specialisation_read.REFERENCES), default="fr",
                         help="référence : France, région, département du territoire, ou pairs (--pairs) ; "
                              "défaut : %(default)s")
    special.add_argument("--pairs", metavar="CODES",
                         help="codes des territoires pairs, du niveau du territoire (ex. 5313,5316)")
    special.add_argument("--source", choices=list(specialisation_read.SOURCES), default="urssaf",
                         help="emploi salarié (urssaf) ou projets de recrutement (bmo) ; défaut : %(default)s")
    _option(special, "--annee", type=int, metavar="ANNEE",
            help="année (défaut : la dernière commune au territoire et à la référence)")
    special.add_argument("--depuis", type=int, metavar="ANNEE",
                         help="première année de la décomposition de l'évolution")
    special.add_argument("--jusqu-a", dest="jusqu_a", type=int, metavar="ANNEE",
                         help="seconde année de la décomposition")
    _formats(special, ["json", "csv", "text"])
    special.set_defaults(run=cmd_specialisation)
    similar = command("similar", help="territoires au profil sectoriel proche (même niveau)")
    _add_territory(similar)
    similar.add_argument("--taille", type=_size_factor, metavar="FACTEUR",
                         help="garder les territoires de taille proche : 2 = de la moitié au double de l'emploi "
                              "(ou des projets BMO) du territoire ; défaut : toutes tailles")
    similar.add_argument("--nombre", type=_peer_count, default=10, metavar="NOMBRE",
                         help="nombre de territoires (défaut : %(default)s)")
    _formats(similar, ["json", "csv", "text"])
    similar.set_defaults(run=cmd_similar)
    noted = command("note", help="publier la note mensuelle d'un territoire : une édition figée sous "
                                 "data/editions/ (code de sortie 0 : publiée, 3 : rien de nouveau, 1 : erreur)")
    _option(noted, "--territoire", dest="territory", metavar="TERRITOIRE", required=True,
            help=f"territoire, parmi {figures.TERRITORY_FORMS}")
    _option(noted, "--mois", dest="month", metavar="AAAA-MM", help="mois de l'édition (défaut : le mois en cours)")
    noted.set_defaults(run=_writer(cmd_note))
    listed = command("editions", help="lister les éditions publiées d'un territoire, ou en comparer deux")
    _option(listed, "--territoire", dest="territory", metavar="TERRITOIRE", required=True,
            help=f"territoire, parmi {figures.TERRITORY_FORMS}")
    _option(listed, "--comparer", dest="compare", nargs=2, metavar=("EDITION", "EDITION"),
            help="deux éditions, la plus ancienne d'abord : AAAA-MM (sa dernière révision) ou AAAA-MMrN "
                 "(la révision N), comme 2026-11 2026-12r2")
    listed.set_defaults(run=cmd_editions)
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
    except InputError as error:  # a manifest that cannot be read (status, build --si-besoin read it first)
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
