"""GIS outputs (shell): valid GeoJSON geometry, KML, CZML and rasters for QGIS, Google
Earth and Cesium.  Built on shapely, contourpy and the antimeridian package."""
