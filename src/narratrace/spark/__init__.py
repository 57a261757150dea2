"""The distributed batch: `narratrace spark ingest` (job.py) writes Parquet rows (rows.py), `narratrace load` (load.py) stores them."""
