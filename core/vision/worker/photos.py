"""Photos of people that ship inside the worker's installed packages (see STACK_NOTES): the only
real people available offline. Loaded once; RGB uint8."""

from __future__ import annotations

import functools
from importlib.resources import files

import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage

Image = npt.NDArray[np.uint8]
PHOTOS = ("bus", "zidane", "astronaut", "grace_hopper", "camera")


@functools.cache
def photo(name: str) -> Image:
    if name in ("bus", "zidane"):
        path = files("ultralytics") / "assets" / f"{name}.jpg"
        return np.asarray(PILImage.open(str(path)).convert("RGB"))
    if name == "grace_hopper":
        import matplotlib.cbook

        path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
        return np.asarray(PILImage.open(str(path)).convert("RGB"))
    if name in ("astronaut", "camera"):
        from skimage import data

        image = np.asarray(getattr(data, name)())
        return image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)
    raise ValueError(f"unknown photo {name!r}; choose one of {PHOTOS}")


def people_crops() -> list[Image]:
    """Whole people cut from the shipped photos, for the crowd collage."""
    bus = photo("bus")
    zidane = photo("zidane")
    return [
        bus[398:902, 48:245],
        bus[405:857, 221:345],
        bus[392:877, 669:810],
        zidane[48:720, 743:1141],
        zidane[197:720, 123:714],
    ]
