"""Reference data for new installations and sample data for demos and benchmarks."""

from hostcrm.sampledata.reference import install_reference_data
from hostcrm.sampledata.seeder import SeedRefusedError, SeedSizes, seed_database

__all__ = ['SeedRefusedError', 'SeedSizes', 'install_reference_data', 'seed_database']
