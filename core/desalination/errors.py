"""One error type for every physically impossible input, carrying a code the page translates
and the numbers it needs; ``str(error)`` is a plain English sentence for scripts and logs."""

from __future__ import annotations

from core.errors import CodedError

MESSAGES: dict[str, str] = {
    "unknown_ion": "Unknown ion {ion}; use Na, K, Ca, Mg, Cl, SO4 or HCO3.",
    "negative_concentration": "The concentration of {ion} cannot be negative ({value}).",
    "temperature_range": "Temperature must be between 0 and 100 °C, got {value}.",
    "ph_range": "pH must be between 4 and 10.5, got {value}.",
    "empty_water": "The water has no dissolved salt at all.",
    "tds_negative": "Salinity must be above zero, got {value} g/L.",
    "tds_range": "Salinity {value} g/L is above {limit} g/L, near salt saturation.",
    "unknown_preset": "Unknown water {name}.",
    "unknown_method": "Unknown method {method}.",
    "unknown_parameter": "Method {method} has no parameter {name}.",
    "recovery_range": "Recovery must be above 0 and below 1, got {value}.",
    "parameter_range": "{name} must be between {low} and {high}, got {value}.",
    "pressure_below_osmotic": (
        "The applied pressure {pressure} bar is below the osmotic pressure {osmotic} bar of "
        "the water it must push against; no water would flow through the membrane."
    ),
    "pressure_too_low_for_recovery": (
        "At {pressure} bar the membrane stops producing water before recovery {recovery}: the "
        "brine's osmotic pressure reaches the applied pressure. Raise the pressure or lower "
        "the recovery."
    ),
    "pressure_limit": (
        "Recovery {recovery} needs {pressure} bar, above the membrane's limit of {limit} bar."
    ),
    "product_not_cleaner": (
        "The target product salinity {target} mg/L must be below the feed's {feed} mg/L."
    ),
    "feed_too_hot": (
        "The water arrives at {temp} °C, not colder than the top brine temperature {top} °C: "
        "the distiller could not condense its vapour on it."
    ),
    "membrane_temperature": (
        "Membranes are rated to {limit} °C; water at {value} °C would damage them."
    ),
    "ion_exchange_exhausted": (
        "The water is too hard for ion exchange: the resin would be exhausted after "
        "{bed_volumes} bed volumes."
    ),
}


class DesalInputError(CodedError):
    """Values are rounded to three significant figures, so the page reads 25.4 bar, not
    25.38719 bar."""

    MESSAGES = MESSAGES

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, **{k: _rounded(v) for k, v in values.items()})


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.3g}")
    return value
