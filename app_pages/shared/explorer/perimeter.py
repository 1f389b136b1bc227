"""Explorer view "Créer un périmètre": name a perimeter, pick whole EPCI, bassins BMO and zones d'emploi, pick
communes by name (a département at a time; homonyms told apart by their code and département) or type their codes,
see its communes (an unknown one named, never dropped), save it beside data/listes_communes.toml and rebuild, so
that it is the territory `liste:CODE` everywhere. Its definition lives in the URL
(?perimetre=epci:243500139,commune:35001&nom=…): a colleague opening the link sees the same and can save it.

The one view that writes data/, through pipelines.ingest.perimeters only (tests/test_layers.py)."""

import re

import pandas as pd
import streamlit as st

from app_pages.shared import ui
from pipelines import datalock
from pipelines.errors import BuildError, InputError, StorageError
from pipelines.frformat import display_name, fmt_count, lower_first, plural
from pipelines.ingest import perimeters
from pipelines.read.perimeter import AREA_TYPES, MEMBER_TYPES, Expansion, commune_choices, departements, expand
from pipelines.report import figures
from pipelines.report.downloads import extraction_date
from pipelines.report.safe_text import markdown_text

# Some 2,800 communes written commune:CODE: more than a Mission locale or a pays holds.
URL_LIMIT = 40_000
SEPARATORS = re.compile(r"[\s,;]+")
SHOWN = 20  # codes quoted in a notice before "et N autres"


def quoted(values: list[str]) -> str:
    """'« 35999 », « abc » et 3 autres': values typed by a user or held by a link, cut short (escape it to show it,
    markdown_text)."""
    shown = ", ".join(f"« {value if len(value) <= 40 else value[:40] + '…'} »" for value in values[:SHOWN])
    return shown + (f" et {fmt_count(len(values) - SHOWN, 'autre')}" if len(values) > SHOWN else "")


def url_members() -> tuple[dict[str, list[str]], list[str]]:
    """The members of ?perimetre=, by level (communes as typed after 'commune:'), and the parts that are none."""
    text = ui.url_param("perimetre", URL_LIMIT)
    if len(text) > URL_LIMIT:
        ui.url_notice(f"Lien trop long : seuls ses {URL_LIMIT} premiers caractères sont lus.")
    found: dict[str, list[str]] = {kind: [] for kind in MEMBER_TYPES}
    unreadable = []
    for typed in filter(None, (part.strip() for part in text[:URL_LIMIT].split(","))):
        prefix, _, code = typed.partition(":")
        if prefix.lower() == "commune" and code:
            found["commune"].append(code)
            continue
        try:
            kind, code = figures.parse_territory(typed)
        except ValueError:
            kind = None
        if kind in AREA_TYPES:
            found[kind].append(code)
        else:
            unreadable.append(typed)
    return found, unreadable


def commune_codes(text: str) -> list[str]:
    """The codes typed in the communes' box, each once, as the marts write them (4 digits padded: 1001 → 01001,
    2a004 → 2A004); what is no code stays as typed (named as unreadable)."""
    codes = []
    for typed in filter(None, SEPARATORS.split(text)):
        typed = typed.removeprefix("commune:")
        try:
            code = figures.parse_territory(f"commune:{typed}")[1]
        except ValueError:
            code = typed
        codes.append(typed if perimeters.malformed([code]) else code)
    return list(dict.fromkeys(codes))


def area_picker(kind: str, wanted: list[str]) -> list[str]:
    """Whole territories of one level; those of the link that no loaded file knows are named."""
    found = ui.query("select territory_code, territory_name from dim_territory where territory_type = ? "
                     "order by territory_name, territory_code", (kind,))
    names = dict(zip(found["territory_code"], found["territory_name"], strict=True))
    if unknown := [code for code in wanted if code not in names]:
        many = len(unknown) > 1
        ui.url_notice(markdown_text(f"{'Territoires' if many else 'Territoire'} du lien "
                                    f"{'inconnus' if many else 'inconnu'} des fichiers chargés "
                                    f"({lower_first(figures.TERRITORY_LABELS[kind])}), hors du périmètre : "
                                    f"{quoted(unknown)}."))
    return st.multiselect(f"{figures.TERRITORY_LABELS[kind]} entiers", list(names),
                          default=[code for code in dict.fromkeys(wanted) if code in names],
                          format_func=lambda code: f"{display_name(names[code])} ({code})", key=f"perimeter-{kind}",
                          placeholder="Choisir", select_all=False)  # Streamlit's "Select all" is English


def departement_label(code: str, name: str | None) -> str:
    """'Ille-et-Vilaine (35)', or 'département 35' when no loaded file names it."""
    return f"{display_name(name)} ({code})" if name else f"département {code}"


def commune_label(row: dict) -> str:
    """'Rennes (35238)'; a name other communes share also names its département: 'Saint-Aubin (35250) —
    Ille-et-Vilaine'."""
    place = f" — {display_name(row['dept_name'] or 'département ' + row['dept_code'])}" if row["homonyms"] else ""
    return f"{display_name(row['commune_name'])} ({row['commune_code']}){place}"


def place_departement(place: tuple[str, str]) -> str | None:
    found = ui.query("select dept_code from dim_territory where territory_type = ? and territory_code = ?", place)
    return found["dept_code"].iloc[0] if len(found) else None


def commune_picker(wanted: list[str], place: tuple[str, str]) -> tuple[list[str], list[str]]:
    """Communes picked by name, those of one département at a time (the one of the link's first named commune,
    else the explorer's territory's); the link's communes a loaded file names are shown picked. Returns the codes
    picked and the link's other codes (to type)."""
    linked = {row["commune_code"]: row for row in ui.marts_read(commune_choices, None, wanted)}
    named = [code for code in wanted if code in linked]
    others = [code for code in wanted if code not in linked]
    found = {row["dept_code"]: row["dept_name"] for row in ui.marts_read(departements)}
    if not found:
        return [], others
    first = linked[named[0]]["dept_code"] if named else place_departement(place)
    codes = list(found)
    dept = st.columns([1, 2])[0].selectbox(
        "Département des communes à choisir", codes, index=codes.index(first) if first in found else 0,
        format_func=lambda code: departement_label(code, found[code]), key="perimeter-departement")
    labels = {row["commune_code"]: commune_label(row) for row in ui.marts_read(commune_choices, dept, named)}
    # Full width: the picked communes' names stay on view (a narrow box fades out the last ones).
    picked = st.multiselect("Communes choisies par leur nom", list(labels), default=named, format_func=labels.get,
                            key="perimeter-picked", placeholder="Taper un nom", select_all=False)
    return picked, others


def member_label(member: dict, picked: set[str]) -> str:
    """What brought a commune, as a reader names it: 'EPCI (intercommunalité) Rennes Métropole', 'choisie par son
    nom', 'code saisi'."""
    if member["type"] == "commune":
        return "choisie par son nom" if member["code"] in picked else "code saisi"
    return f"{figures.TERRITORY_LABELS[member['type']]} {display_name(member['name'] or member['code'])}"


def communes_table(found: Expansion, picked: set[str] = frozenset()) -> pd.DataFrame:
    labels = {member["spec"]: member_label(member, picked) for member in found.members}
    return pd.DataFrame({
        "Code commune": [c["commune_code"] for c in found.communes],
        "Commune": [display_name(c["commune_name"]) if c["commune_name"] else
                    ("inconnue des zonages chargés" if not c["known"] else "") for c in found.communes],
        "Département": [c["dept_code"] or "" for c in found.communes],
        "Apportée par": [", ".join(labels[spec] for spec in c["via"]) for c in found.communes],
    })


def render(place: tuple[str, str]) -> None:
    wanted, unreadable = url_members()
    if unreadable:
        ui.url_notice(f"Éléments du lien illisibles, hors du périmètre (formes : commune:CODE, epci:SIREN, "
                      f"bassin:CODE, ze:CODE) : {markdown_text(quoted(unreadable))}.")
    name = perimeters.clean_name(st.text_input("Nom du périmètre", value=perimeters.clean_name(ui.url_param(
        "nom", perimeters.NAME_LIMIT)), max_chars=perimeters.NAME_LIMIT, key="perimeter-name",
        placeholder="par exemple : Mission locale du bassin rennais"))
    areas = {kind: area_picker(kind, wanted[kind]) for kind in AREA_TYPES}
    picked, others = commune_picker(wanted["commune"], place)
    typed = commune_codes(st.text_area(
        "Autres communes, par leurs codes Insee (séparés par des virgules, des espaces ou des retours à la ligne)",
        value=", ".join(others), key="perimeter-communes", placeholder="35238, 35047, 35051"))
    # Named communes first, in the order a reload shows them (picked), so that the link reads the same after it.
    named = {row["commune_code"] for row in ui.marts_read(commune_choices, None, typed)}
    communes = list(dict.fromkeys([*picked, *(code for code in typed if code in named),
                                   *(code for code in typed if code not in named)]))
    members = [figures.territory_spec(kind, code) for kind in AREA_TYPES for code in areas[kind]]
    members += [f"commune:{code}" for code in communes]
    st.query_params["perimetre"] = ",".join(members)
    st.query_params["nom"] = name
    bad = perimeters.malformed(typed)
    if bad:
        st.warning(f"Codes commune illisibles, qui ne peuvent pas être enregistrés (un code Insee a 5 caractères, "
                   f"2A ou 2B pour la Corse) : {markdown_text(quoted(bad))}.")
    found: Expansion = ui.marts_read(expand, [*((kind, code) for kind in AREA_TYPES for code in areas[kind]),
                                              *(("commune", code) for code in communes if code not in bad)])
    if not found.communes:
        st.info("Choisissez des EPCI, des bassins ou des zones d'emploi entiers, ou des communes par leur nom ou "
                "leur code.")
        return
    unknown = found.unknown_communes
    st.metric("Communes du périmètre", len(found.communes),
              f"dont {len(unknown)} {plural(len(unknown), 'inconnue')}" if unknown else None, delta_color="off",
              delta_arrow="off")
    for member in found.members:
        if member["type"] != "commune":
            st.caption(markdown_text(f"{figures.TERRITORY_LABELS[member['type']]} "
                                     f"{display_name(member['name'])} ({member['code']}) : "
                                     f"{fmt_count(member['communes'], 'commune')} (zonage {member['zoning']})"))
    if unknown:
        st.warning(markdown_text(
            f"{fmt_count(len(unknown), 'commune inconnue', 'communes inconnues')} des zonages chargés (aucun fichier "
            f"Insee ni France Travail ne {plural(len(unknown), 'la', 'les')} connaît) : {quoted(unknown)}. "
            f"Enregistrée{'s' if len(unknown) > 1 else ''} avec le périmètre, "
            f"{plural(len(unknown), 'elle reste', 'elles restent')} hors des sommes : ses chiffres diront "
            "« couverture partielle »."))
    table = communes_table(found, set(picked))
    with st.expander(f"Les {fmt_count(len(found.communes), 'commune')}"):
        st.dataframe(table, hide_index=True, width="stretch")
    code = perimeters.code_for(name)
    about = {"Titre": f"Communes du périmètre {name or code}", "Définition": ", ".join(members),
             "Extrait le": extraction_date()}
    ui.table_downloads(table, f"perimetre_{code}", "perimeter-communes", about)
    st.caption("Le lien de cette page contient la définition du périmètre : envoyé à un collègue, il lui montre "
               "la même sélection, qu'il peut enregistrer à son tour.")
    save_block(name, code, [c["commune_code"] for c in found.communes], members, bad)


def save_block(name: str, code: str, communes: list[str], members: list[str], bad: list[str]) -> None:
    """The code the perimeter will have, what stops it from being saved, and the save button."""
    st.subheader("Enregistrer")
    if not name:
        st.info("Donnez un nom au périmètre pour l'enregistrer.")
        return
    st.markdown(f"Il sera le territoire **{markdown_text(figures.territory_spec('liste', code))}** (liste de "
                f"communes) de toutes les pages, des exports et de la ligne de commande.")
    try:
        taken, saved = perimeters.hand_written_codes(), perimeters.saved()
    except (BuildError, InputError) as error:
        st.error(markdown_text(str(error)))
        return
    if code in taken:
        st.error(f"Le code « {markdown_text(code)} » est celui d'une liste de listes_communes.toml : choisissez un "
                 "autre nom.")
        return
    replace = False
    if code in saved:
        replace = st.checkbox(f"Remplacer le périmètre « {markdown_text(saved[code].get('nom', code))} » déjà "
                              f"enregistré sous ce code", key="perimeter-replace")
    if not st.button("Enregistrer et reconstruire les marts", key="perimeter-save", type="primary",
                     disabled=bool(bad) or (code in saved and not replace)):
        return
    with st.status("Enregistrement du périmètre et reconstruction des marts…", expanded=True) as status:
        try:
            done = perimeters.save(name, communes, members, replace=replace,
                                   say=lambda message: status.write(markdown_text(message)))
        except (datalock.Held, datalock.Busy) as error:
            status.update(label="Périmètre non enregistré", state="error")
            st.error(f"{markdown_text(str(error))} : réessayez quand elle aura fini ; rien n'a été enregistré.")
            return
        except (InputError, BuildError, StorageError) as error:
            status.update(label="Périmètre non enregistré", state="error")
            st.error(f"Périmètre non enregistré : {markdown_text(str(error))}")
            return
        status.update(label="Périmètre enregistré, marts reconstruits", state="complete", expanded=False)
    spec = figures.territory_spec("liste", done.code)
    st.success(f"Périmètre « {markdown_text(name)} » {'remplacé' if done.replaced else 'enregistré'} : "
               f"{fmt_count(done.communes, 'commune')}, territoire **{markdown_text(spec)}**. "
               f"[Ouvrir sa vue d'ensemble](/?territoire={markdown_text(spec)})")
