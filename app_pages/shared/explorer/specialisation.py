"""Explorer view (placeholder until its module is written)."""

import streamlit as st


def render(place: tuple[str, str]) -> None:
    st.info("Vue en construction.")
