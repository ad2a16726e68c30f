from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Synthetic data for benchmarks (`manage.py seed_bulk`); installed only by bench.settings."""

    name = "bench.seeding"
    label = "bench_seeding"
