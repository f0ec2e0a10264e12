"""Built-in barcode plugins. A plugin is any object with `name`, `description` and
`scan(scan: Scan) -> PluginResult | None`; see barcodes.registry for how they are ordered."""
from __future__ import annotations

from barcodes.plugins.gs1 import GS1Plugin
from barcodes.plugins.internal import InternalPlugin
from barcodes.plugins.linked import LinkedPlugin
from barcodes.plugins.supplier import SupplierPlugin


def builtin_plugins() -> list:
    """The built-in plugins in their default order."""
    return [InternalPlugin(), LinkedPlugin(), SupplierPlugin(), GS1Plugin()]
