"""The views of the explorer page (app_pages/explorer.py): one module each, with `render(place)`."""
