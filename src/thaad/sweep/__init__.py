"""Sensitivity sweeps over scenario fields and catalogue estimates, run on Dask (`thaad sweep`)."""
