"""Vue d'ensemble: the four sectors of a territory side by side, from the BMO survey."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages import ui
from pipelines import figures
from pipelines.frformat import SECRET, fmt_change, fmt_int, fmt_pct

st.title("Vue d'ensemble des secteurs en tension")

level_slot, territory_slot, year_slot = st.columns([1, 2, 1])
territory_type, territory_code = ui.territory_picker(level_slot, territory_slot)
years = ui.key_figures(territory_type, territory_code)["years"]
wanted_year = st.query_params.get("annee", "")
default_year = int(wanted_year) if wanted_year.isdigit() and int(wanted_year) in years else years[-1]
year = year_slot.selectbox("Année de l'enquête BMO", years, index=years.index(default_year), key="year")
st.query_params["annee"] = str(year)

data = ui.key_figures(territory_type, territory_code, year)
place = data["territory"]
ui.demo_banner(data["demo"])

perimeter = figures.perimeter_label(place)
if place["commune_count"]:
    perimeter += f" · {fmt_int(place['commune_count'])} communes (zonage {place['commune_zoning']})"
source_line = f"Source : {data['source']} {year} · {perimeter}"
st.caption(source_line)

sectors = {sector["sector_code"]: sector for sector in data["sectors"]}
reference = sectors.pop("ensemble")
sub_sectors = {s["parent_code"]: s for s in sectors.values() if s["parent_code"]}
main_sectors = [s for s in sectors.values() if not s["parent_code"]]


def change_text(sector: dict) -> str:
    if sector["previous_year"] is None:
        return "pas d'année précédente"
    if sector["nomenclature_break"]:
        return f"non comparable à {sector['previous_year']} (changement de nomenclature)"
    return f"{fmt_change(sector['projects_change'])} par rapport à {sector['previous_year']}"


columns = st.columns(len(main_sectors))
for column, sector in zip(columns, main_sectors, strict=True):
    with column.container(border=True):
        st.markdown(f"<span style='color:{sector['colour']};font-size:1.3rem;font-weight:700'>"
                    f"{sector['label']}</span>", unsafe_allow_html=True)
        st.metric("Projets de recrutement", fmt_int(sector["projects"]), change_text(sector),
                  delta_color="off", delta_arrow="off")
        st.markdown(f"**{fmt_pct(sector['difficult_share'])}** jugés difficiles  \n"
                    f"**{fmt_pct(sector['seasonal_share'])}** saisonniers")
        if sector["sector_code"] in sub_sectors:
            sub = sub_sectors[sector["sector_code"]]
            st.markdown(f"{sub['label'].capitalize()} : {fmt_int(sub['projects'])} projets, "
                        f"{fmt_pct(sub['difficult_share'])} difficiles")
        if sector["secret_cells"]:
            st.caption(f"{fmt_int(sector['secret_cells'])} cellule(s) secrète(s) non comptée(s)")
        st.caption(f"BMO {year} · {perimeter}")

st.markdown(f"**Tous secteurs** : {fmt_int(reference['projects'])} projets de recrutement, "
            f"{fmt_pct(reference['difficult_share'])} jugés difficiles, "
            f"{fmt_pct(reference['seasonal_share'])} saisonniers ({change_text(reference)}).")
st.caption("Sommes des cellules publiées : les cellules sous secret statistique (« s ») ne sont pas comptées, "
           "les totaux sont donc inférieurs aux totaux officiels.")

# --- Sector comparison ------------------------------------------------------------------------------
st.subheader("Difficultés de recrutement et saisonnalité par secteur")
compared = data["sectors"]
comparison = pd.DataFrame({
    "Secteur": [s["label"] for s in compared],
    "Projets de recrutement": [s["projects"] for s in compared],
    "Part jugée difficile": [s["difficult_share"] for s in compared],
    "Part saisonnière": [s["seasonal_share"] for s in compared],
})
figure = go.Figure()
for name, colour in (("Part jugée difficile", ui.PALETTE[1]), ("Part saisonnière", ui.PALETTE[0])):
    figure.add_bar(
        y=comparison["Secteur"], x=comparison[name] * 100, name=name, orientation="h", marker_color=colour,
        text=[fmt_pct(v) for v in comparison[name]], textposition="outside",
        hovertemplate="%{y} : %{x:.1f} %<extra>" + name + "</extra>",
    )
figure.update_yaxes(autorange="reversed")
figure.update_xaxes(title="% des projets de recrutement", range=[0, 110])
ui.style_figure(figure, f"Part des projets jugés difficiles et saisonniers, {year}")
ui.chart_with_data(figure, comparison, f"secteurs_{place['code']}_{year}", key="sectors")
st.caption(source_line)

# --- Top métiers ------------------------------------------------------------------------------------
st.subheader("Métiers qui recrutent le plus")
labels = {s["sector_code"]: s["label"] for s in data["sectors"]}
chosen = st.selectbox("Secteur", list(labels), format_func=labels.get, key="top-sector")
top = pd.DataFrame(next(s for s in data["sectors"] if s["sector_code"] == chosen)["top_metiers"])
if top.empty:
    st.info("Aucun métier de ce secteur n'a de projet publié sur ce territoire.")
else:
    def shown(values, secret_cells, formatter):
        """A published value, or "s" where it is missing because cells are secret, never 0."""
        return [SECRET if pd.isna(v) and n > 0 else formatter(v) for v, n in zip(values, secret_cells, strict=True)]

    secret = top["projects"].isna() & (top["secret_cells"] > 0)
    table = pd.DataFrame({
        "Rang": top["rank"],
        "Métier": top["metier_label"],
        "Code FAP": top["metier_code"],
        "Projets": shown(top["projects"], top["secret_cells"], fmt_int),
        "Jugés difficiles": shown(top["difficult_share"], top["difficult_secret_cells"], fmt_pct),
        "Saisonniers": shown(top["seasonal_share"], top["seasonal_secret_cells"], fmt_pct),
    })
    drawn = top[~secret]
    bars = go.Figure(go.Bar(
        y=drawn["metier_label"], x=drawn["projects"], orientation="h", marker_color=ui.PALETTE[0],
        text=[f"{p} · {d} difficiles" for p, d in
              zip(table["Projets"][~secret], table["Jugés difficiles"][~secret], strict=True)],
        textposition="auto", hovertemplate="%{y} : %{x} projets<extra></extra>",
    ))
    bars.update_yaxes(autorange="reversed")
    bars.update_xaxes(title="Projets de recrutement")
    ui.style_figure(bars, f"{labels[chosen]} : métiers les plus recherchés, {year}",
                    height=120 + 45 * len(drawn))
    st.plotly_chart(bars, width="stretch", key="chart-top", config={"displaylogo": False})
    st.dataframe(table, hide_index=True, width="stretch")
    exported = pd.DataFrame({
        "Rang": top["rank"], "Code FAP": top["metier_code"], "Métier": top["metier_label"],
        "Projets de recrutement": top["projects"], "Part jugée difficile": top["difficult_share"],
        "Part saisonnière": top["seasonal_share"], "Secret statistique": secret.map({True: "oui", False: "non"}),
    })
    st.download_button("Télécharger les données (CSV)", ui.to_csv(exported),
                       file_name=f"metiers_{chosen}_{place['code']}_{year}.csv", mime="text/csv", key="csv-top")
    st.caption(source_line + " · « s » : secret statistique")
