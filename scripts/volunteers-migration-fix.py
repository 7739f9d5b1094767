"""After `makemigrations volunteers --name initial`: the exclusion constraint needs btree_gist."""

from pathlib import Path

path = Path(__file__).resolve().parent.parent / "volunteers/migrations/0001_initial.py"
text = path.read_text()
if "BtreeGistExtension" not in text:
    text = text.replace(
        "from django.db import migrations, models\n",
        "from django.contrib.postgres.operations import BtreeGistExtension\n"
        "from django.db import migrations, models\n",
    )
    text = text.replace(
        "    operations = [\n", "    operations = [\n        BtreeGistExtension(),\n", 1
    )
    path.write_text(text)
