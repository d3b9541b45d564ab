"""whylogs reads its usage-statistics opt-out once, when first imported: set it before any test imports whylogs."""

import os

os.environ["WHYLOGS_NO_ANALYTICS"] = "True"
