"""Built-in barcode plugins, each given the Catalog it looks objects up in. A plugin is any object
with `name`, `description` and `scan(scan: Scan) -> PluginResult | None`; see barcodes.registry for
how they are ordered and what they are given."""
from __future__ import annotations

from barcodes.catalog import Catalog
from barcodes.plugins.gs1 import GS1Plugin
from barcodes.plugins.internal import InternalPlugin
from barcodes.plugins.linked import LinkedPlugin
from barcodes.plugins.supplier import SupplierPlugin


def builtin_plugins(catalog: Catalog) -> list:
    """The built-in plugins in their default order, each looking objects up in `catalog`."""
    return [InternalPlugin(catalog), LinkedPlugin(catalog), SupplierPlugin(catalog), GS1Plugin(catalog)]
