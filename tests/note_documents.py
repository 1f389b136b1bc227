"""Notes written by hand (fictitious values) to test the renderers without the wording: `realistic()` has the
shape and length of a real monthly note, `hostile()` what a data file could put in one."""

import itertools
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.report.note_model import Bullets, Definitions, Note, Paragraphs, Section, Table

NNBSP = "\u202f"
MARGIN = 12 / 25.4 * 72  # 12 mm on every side of a page: no text nearer the edge (printers, binders)


def _n(text: str) -> str:
    """French number spacing: the narrow no-break space before % and in thousands."""
    return text.replace("_", NNBSP)


def realistic() -> Note:
    columns = ["Indicateur", "Rennes Métropole", "Ille-et-Vilaine", "Bretagne", "France", "Source"]
    labels = [
        ("Demandeurs d'emploi, catégorie A", "2025-T2", "DARES"),
        ("Demandeurs d'emploi, catégories A, B, C", "2025-T2", "DARES"),
        ("Taux de chômage (zone d'emploi de Rennes)", "2025-T2", "Insee"),
        ("Emploi salarié privé", "2024", "Urssaf"),
        ("Établissements employeurs", "2024", "Urssaf"),
        ("Déclarations d'embauche", "2025-T2", "Urssaf"),
        ("Offres d'emploi en cours", "2025-T3", "France Travail"),
        ("Projets de recrutement (BMO)", "2025", "France Travail"),
    ]
    values = ["27_635", "52_180", "6,1_%", "210_400", "18_950", "31_204", "4_512", "23_870"]
    def change(k: int, rate: bool) -> str:
        return f"+0,{k + 1} point" if rate else f"+{k % 5},{(3 * k) % 10}_%"

    rows = []
    for i, ((label, period, source), value) in enumerate(zip(labels, values, strict=True)):
        rate = "%" in value
        cells = [f"{label} ({period})"]
        for place in range(4):
            if i == 6 and place:
                cells.append("non publié à ce niveau")
            else:
                cells.append(_n(f"{value}\n{change(i + place, rate)} sur un trimestre\n"
                                f"{change(i + 2 * place, rate)} sur un an"))
        cells.append(source)
        rows.append(cells)
    key_figures = Table(columns, rows, notes=[
        "Taux de chômage : celui de la zone d'emploi de Rennes, qui regroupe 95 % des communes de la métropole.",
        "Déclarations d'embauche : hors intérim, données brutes ; les apprentis sont comptés depuis 2023.",
        "Offres d'emploi : publiées par bassin d'emploi uniquement ; « non publié à ce niveau » ailleurs.",
    ])
    news = Bullets([
        "Demandeurs d'emploi : nouveau trimestre publié (2025-T2), la série précédente s'arrêtait à 2025-T1.",
        "Taux de chômage : nouveau trimestre publié (2025-T2) pour la zone d'emploi, le département et la région.",
        "Emploi salarié : pas de nouvelle année ; prochaine publication attendue vers le 12 mars.",
        "Déclarations d'embauche : nouveau trimestre publié (2025-T2) ; les chiffres de 2025-T1 ont été révisés.",
        "Offres d'emploi : relevé du mois de septembre, mis à jour chaque mois par France Travail.",
        "Besoins en main-d'œuvre : l'enquête 2025 reste la plus récente ; la suivante paraît en avril.",
    ])
    sectors = Table(["Secteur", "Projets de recrutement", "Dont difficiles", "Emploi salarié", "Tension"], [
        ["Bâtiment", _n("1_240 (2025)"), _n("74_%"), _n("12_380\n+1,2_% sur un an"), "forte"],
        ["Travaux publics", _n("310 (2025)"), _n("68_%"), _n("3_904\n−0,4_% sur un an"), "forte"],
        ["Numérique", _n("980 (2025)"), _n("52_%"), _n("15_021\n+3,8_% sur un an"), "moyenne"],
        ["Industries agroalimentaires", _n("640 (2025)"), _n("61_%"), _n("9_870\n+0,2_% sur un an"), "moyenne"],
        ["Agriculture", _n("2_150 (2025)"), _n("47_%"), "non publié", "faible"],
    ], notes=["Tension : indicateur de France Travail et de la DARES (2024), de 1 (faible) à 5 (très forte)."])
    vigilance = Bullets([
        "Les demandeurs d'emploi de catégorie A augmentent plus vite qu'en Ille-et-Vilaine (+6,1 % contre +3,1 %).",
        "Le taux de chômage de la zone d'emploi gagne 0,4 point sur un an.",
        "Bâtiment : 74 % des projets de recrutement sont jugés difficiles (seuil d'alerte : 70 %).",
        "Les déclarations d'embauche reculent de 5,2 % sur un an, plus qu'en Bretagne (−1,8 %).",
    ])
    caveats = Paragraphs([
        "Les apprentis sont comptés par l'Urssaf dans l'emploi salarié depuis 2023 : la hausse de cette année-là "
        "tient pour partie à ce changement de champ.",
        "Depuis janvier 2025, la loi pour le plein emploi inscrit automatiquement à France Travail les allocataires "
        "du RSA et les jeunes suivis par les missions locales : le nombre de demandeurs d'emploi en est accru.",
        "La DARES a suspendu le label de statistique officielle de ces séries le temps d'en mesurer l'effet ; les "
        "évolutions sur un an sont à lire avec prudence.",
        "Les taux de chômage localisés sont corrigés des variations saisonnières (CVS) ; les autres séries sont "
        "brutes.",
        "Les effectifs inférieurs à trois établissements sont couverts par le secret statistique et ne sont pas "
        "publiés.",
    ])
    glossary = Definitions([
        ("BMO", "Enquête Besoins en main-d'œuvre de France Travail : les projets de recrutement déclarés par les "
                "employeurs pour l'année."),
        ("Catégorie A", "Demandeurs d'emploi sans emploi, tenus de rechercher un emploi."),
        ("Catégories B, C", "Demandeurs d'emploi ayant travaillé dans le mois : 78 heures au plus (B) ou plus (C)."),
        ("Zone d'emploi", "Espace où la plupart des actifs résident et travaillent, défini par l'Insee (2020)."),
        ("CVS", "Corrigé des variations saisonnières : les effets habituels du calendrier sont retirés."),
        ("Secret statistique", "Règle qui interdit de publier un chiffre permettant d'identifier une entreprise."),
    ])
    return Note(
        title="Note mensuelle sur l'emploi",
        territory="Rennes Métropole (EPCI 243500139)",
        month="décembre 2026",
        sections=[
            Section("Chiffres clés", [key_figures]),
            Section("Quoi de neuf depuis la note précédente", [news]),
            Section("Les secteurs", [sectors]),
            Section("Points de vigilance", [vigilance]),
            Section("Avertissements", [caveats]),
            Section("Glossaire", [glossary]),
        ],
        footer="Édition de décembre 2026, révision 1 · Zoom secteurs · sources : DARES, Insee, Urssaf, France Travail",
        demo_warning="Démonstration : certains chiffres viennent des fichiers fictifs de démonstration.",
    )


HOSTILE_NAME = 'Saint-<script>alert("x")</script> & Cie "$5 %" 🚀 مدينة קריית'


def hostile() -> Note:
    """A territory named by a hostile file, 300-character cells, very long words and names, RTL and emoji."""
    long_cell = ("Cellule très longue " * 15)[:300]
    long_word = "Anticonstitutionnellement" * 8
    name = HOSTILE_NAME + " " + "Communauté de communes du très long nom " * 4
    table = Table([name, "Valeur <b>", "$x$ & y", long_word[:60], "%s %d"],
                  [[name, long_cell, "1\u202f234\n<i>", long_word, "\u200f" + "עברית ערבית" * 5]] * 4
                  + [[long_cell] * 5] * 2,
                  notes=[long_cell, "<script>alert(1)</script>"])
    return Note(
        title="<script>alert('titre')</script> & \"guillemets\" $\\frac{1}{2}$",
        territory=name,
        month="décembre 2026 🚀",
        sections=[
            Section(HOSTILE_NAME, [table, Paragraphs([long_cell * 3, long_word * 2]),
                                   Bullets([HOSTILE_NAME] * 3 + ["x" * 400])]),
            Section("Glossaire " + HOSTILE_NAME, [Definitions([(long_word, long_cell), (HOSTILE_NAME, HOSTILE_NAME)])]),
            Section("Vide", []),
        ],
        footer=HOSTILE_NAME * 3,
        demo_warning="<b>Démonstration</b> " + HOSTILE_NAME,
    )


# --- Reading a rendered note back -------------------------------------------------------------------------------

def note_texts(note: Note) -> list[str]:
    """Every text of the note's body in reading order: title block, then each section's title and blocks."""
    texts = [note.title, note.territory, note.month]
    for section in note.sections:
        texts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Table):
                texts += block.columns + [cell for row in block.rows for cell in row] + block.notes
            elif isinstance(block, Definitions):
                texts += [text for item in block.items for text in item]
            else:
                texts += block.items
    return texts


def squeezed(text: str) -> str:
    """A text without its whitespace (line breaks of wrapped lines, narrow no-break spaces): what is left to
    compare when the renderer decided where lines break."""
    return "".join(str(text).split())


def missing_in_order(texts: list[str], document: str) -> list[str]:
    """The texts not found in `document` one after the other (whitespace ignored on both sides)."""
    document, position, missing = squeezed(document), 0, []
    for text in texts:
        found = document.find(squeezed(text), position)
        if found < 0:
            missing.append(text)
        else:
            position = found + len(squeezed(text))
    return missing


def chars(page) -> list[tuple[str, tuple, float]]:
    """The drawn characters of a page: (character, box (left, bottom, right, top) in points, font size)."""
    textpage = page.get_textpage()
    found = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if char.isspace() or pdfium_c.FPDFText_IsGenerated(textpage.raw, i):
            continue
        found.append((char, textpage.get_charbox(i), pdfium_c.FPDFText_GetFontSize(textpage.raw, i)))
    return found


def layout_problems(data: bytes) -> list[str]:
    """Characters outside the page's margins, and text lines (pdfium's runs of text) that overlap."""
    problems = []
    for number, page in enumerate(pdfium.PdfDocument(data), start=1):
        width, height = page.get_size()
        for char, (left, bottom, right, top), _ in chars(page):
            if left < MARGIN or right > width - MARGIN or bottom < MARGIN or top > height - MARGIN:
                problems.append(f"page {number}: {char!r} outside the margins at {left:.0f},{bottom:.0f}")
        textpage = page.get_textpage()
        rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
        for a, b in itertools.combinations(rects, 2):
            if min(a[2], b[2]) - max(a[0], b[0]) > 0.3 and min(a[3], b[3]) - max(a[1], b[1]) > 0.3:
                problems.append(f"page {number}: lines overlap at {a} and {b}")
    return problems


class Document(HTMLParser):
    """What a browser would build: the elements met, the text shown (not in <style> or <title>)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.style = ""
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._hidden += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "title")

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "style":
            self.style += data
        if not self._hidden:
            self.text.append(data)
