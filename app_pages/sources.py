"""Sources: where every figure comes from, and how to load the real files."""

import pandas as pd
import streamlit as st

from app_pages.shared import ui
from pipelines.frformat import fmt_date, fmt_datetime, period_text
from pipelines.report import figures
from pipelines.report.safe_text import markdown_text

st.title("Sources des données")

sources = ui.query("select * from meta_sources order by source, period")
built_at = ui.query("select built_at from meta_build")["built_at"].iloc[0]
ui.demo_banner(sorted(set(sources.loc[sources["demo"], "title"])), all_parts=sources["title"].nunique())

st.markdown(f"Marts construits et contrôlés le **{fmt_datetime(built_at)}**. "
            "Le tableau de bord relit automatiquement les marts après chaque reconstruction.")
st.markdown("**Fichiers utilisés** : " + ("les fichiers fictifs de démonstration, aucun fichier réel n'étant chargé."
                                          if sources["demo"].any() else "les fichiers réels chargés ci-dessous."))
table = pd.DataFrame({
    "Données": sources["title"],
    "Éditeur": sources["publisher"],
    "Période": sources["period"].map(period_text),
    "Nature": sources["demo"].map({True: "Démo (fictif)", False: "Réel"}),
    "Origine": sources["origin"],
    "Chargé le": sources["retrieved_at"].map(fmt_date),
    "Licence": sources["licence"],
    "Page de l'éditeur": sources["url"],
    "Empreinte sha256": sources["sha256"].str.slice(0, 12),
})
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"Page de l'éditeur": st.column_config.LinkColumn()})
st.download_button("Télécharger ce tableau (CSV)", ui.to_csv(table), file_name="sources.csv", mime="text/csv")

# Once a real file is loaded, no demo file of any source is used: those set aside are listed, with why, and
# the sources without a real file say "non chargé" and how to load them.
set_aside = ui.query("select source, title, period, path, reason from meta_set_aside order by source, period, path")
if len(set_aside):
    st.subheader("Fichiers de démonstration mis de côté")
    st.markdown(f"**{len(set_aside)} fichiers fictifs de démonstration ne sont pas utilisés** : "
                f"{markdown_text(set_aside['reason'].iloc[0])}.")
    st.dataframe(pd.DataFrame({"Source": set_aside["source"], "Données": set_aside["title"],
                               "Période": set_aside["period"].map(period_text), "Fichier": set_aside["path"]}),
                 hide_index=True, width="stretch", key="set-aside")
catalog = ui.source_catalog()
missing = [about for about in catalog if about["source"] not in set(sources["source"])]
if missing:
    st.subheader("Sources non chargées")
    st.markdown("\n".join(f"- **{markdown_text(about['title'])}** ({markdown_text(about['publisher'])}, "
                           f"{markdown_text(about['source'])}) : {markdown_text(figures.not_loaded_text(about))}"
                           for about in missing))

st.subheader("Charger les données réelles")
st.markdown("""
Les chiffres viennent des fichiers publiés par France Travail et l'Insee. Sur une machine sans
connexion, téléchargez-les ailleurs puis importez-les **tels quels** : le format est reconnu au contenu
du fichier, pas à son nom.

1. **Enquête BMO** (France Travail) : le classeur « Base open data BMO » de l'année (xlsx).
2. **Correspondance commune → bassin d'emploi BMO** (France Travail) : `bassin_emploi.csv`
   (zonage 2024) ou `lexique-bassins.csv` (zonage 2019).
3. **Zones d'emploi 2020** (Insee) : le classeur de composition communale.

Puis, dans le dossier du projet :

```
python -m pipelines import Base_open_data_BMO_2024.xlsx bassin_emploi.csv Communes_to_ZE_2022.xlsx
python -m pipelines build
python -m pipelines status
```

Dès qu'un fichier réel est chargé, quelle que soit sa source, les fichiers de démonstration de toutes
les sources sont mis de côté : un chiffre inventé ne côtoie jamais un chiffre réel, et une source sans
fichier réel dit « non chargé » là où ses chiffres apparaîtraient. Un fichier refusé
(format inconnu, colonnes manquantes, fichier tronqué) n'efface rien de ce qui est déjà chargé, et une
construction qui échoue laisse les marts précédents en service.
""")
