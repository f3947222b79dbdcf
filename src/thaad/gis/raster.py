"""GeoTIFF rasters (EPSG:4326) of lon/lat grids, via rasterio (the ``thaad[dem]`` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def write_geotiff(path: str | Path, lon_deg, lat_deg, bands: dict[str, np.ndarray], tags: dict | None = None) -> None:
    """Float32 GeoTIFF, one band per ``bands`` entry (name -> (n_lat, n_lon) array on the
    1-D axes ``lon_deg``/``lat_deg``, cell centres, evenly spaced), NaN as nodata."""
    from thaad.extras import require

    rasterio = require("rasterio", "out", "writing a GeoTIFF")
    from rasterio.transform import from_origin

    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    dlon = (lon[-1] - lon[0]) / (lon.size - 1) if lon.size > 1 else 1.0
    dlat = (lat[-1] - lat[0]) / (lat.size - 1) if lat.size > 1 else 1.0
    flip = dlat > 0  # GeoTIFF rows run north to south
    dlat = abs(dlat)
    data = np.stack([np.asarray(b, float)[::-1] if flip else np.asarray(b, float) for b in bands.values()])
    transform = from_origin(lon[0] - dlon / 2, lat.max() + dlat / 2, dlon, dlat)
    with rasterio.open(path, "w", driver="GTiff", width=lon.size, height=lat.size, count=len(bands), dtype="float32",
                       crs="EPSG:4326", transform=transform, nodata=np.nan) as ds:
        ds.write(data.astype(np.float32))
        for i, name in enumerate(bands, start=1):
            ds.set_band_description(i, name)
        if tags:
            ds.update_tags(**{k: str(v) for k, v in tags.items()})
