"""Settings for benchmark runs: production settings plus the synthetic-data app and the baseline views.

Production never loads this module: `python -m bench` and the benchmark's gunicorn set
DJANGO_SETTINGS_MODULE=bench.settings.
"""

from halalmsi.settings import *  # noqa: F403
from halalmsi.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.seeding"]
ROOT_URLCONF = "bench.urls"
