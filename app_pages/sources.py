"""Sources: where every figure comes from, and how to load the real files."""

import pandas as pd
import streamlit as st

from app_pages import ui
from pipelines.frformat import fmt_datetime

st.title("Sources des données")

sources = ui.query("select * from meta_sources order by source, period")
built_at = ui.query("select built_at from meta_build")["built_at"].iloc[0]
ui.demo_banner(sorted(set(sources.loc[sources["demo"], "title"])), all_parts=sources["title"].nunique())

st.markdown(f"Marts construits et contrôlés le **{fmt_datetime(built_at)}**. "
            "Le tableau de bord relit automatiquement les marts après chaque reconstruction.")
table = pd.DataFrame({
    "Données": sources["title"],
    "Éditeur": sources["publisher"],
    "Période": sources["period"],
    "Nature": sources["demo"].map({True: "Démo (fictif)", False: "Réel"}),
    "Origine": sources["origin"],
    "Chargé le": sources["retrieved_at"].str.slice(0, 10),
    "Licence": sources["licence"],
    "Page de l'éditeur": sources["url"],
    "Empreinte sha256": sources["sha256"].str.slice(0, 12),
})
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"Page de l'éditeur": st.column_config.LinkColumn()})
st.download_button("Télécharger ce tableau (CSV)", ui.to_csv(table), file_name="sources.csv", mime="text/csv")

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

Chaque source réelle remplace les données de démonstration de la même source ; un fichier refusé
(format inconnu, colonnes manquantes, fichier tronqué) n'efface rien de ce qui est déjà chargé, et une
construction qui échoue laisse les marts précédents en service.
""")
