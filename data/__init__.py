"""The data Casebook ships with its code (the checkout's data/ folder, installed as the package
`casebook_data`): classifiers, taxonomy, gazetteers, language samples.

Located with importlib.resources, so the same paths hold in a checkout, in an editable install
and in an installed wheel. Only the standard library here: the settings read these paths without
loading the analyser. data/eval/ (evaluation sets) is not shipped: it exists in a checkout only.
"""

from importlib.resources import files
from pathlib import Path


def _package_dir() -> Path:
    root = files(__name__)
    if not isinstance(root, Path):  # e.g. imported from a zip file
        raise RuntimeError(f"{__name__} must be installed as files, not inside {root}")
    return root


DATA_DIR = _package_dir()
MODELS_DIR = DATA_DIR / "models"  # sentiment/, sentiment/fr/, emotion/, language/
TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"
GAZETTEERS_DIR = DATA_DIR / "gazetteers"
LANGUAGE_SAMPLES = DATA_DIR / "language" / "other_languages.txt"
# In a checkout only (absent from an installed wheel): the evaluation sets, and the shared data
# sets beside the checkout (../shared/data) that training and evaluation read.
EVAL_DIR = DATA_DIR / "eval"
SHARED_DATA_DIR = DATA_DIR.parent.parent / "shared" / "data"
