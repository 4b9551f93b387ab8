"""`Text`: the dtype of the models' string columns.

The rows hold Python strings (or None) in object columns. pandera's own
`str` checks such a column one value at a time through a Python lambda and
then, even when every value passes, formats an empty table of failure cases
into its message: about a third of the time the warehouse models took. `Text`
asks pandas' C type inference once per column instead, and only a column
it does not pass goes through pandera's test of every value, which names the
values that are not strings.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandera import dtypes
from pandera.engines import pandas_engine

# What infer_dtype(skipna=True) says of a column whose values are all strings
# or missing ("empty": no value at all).
_ALL_TEXT = frozenset({"string", "empty"})


@pandas_engine.Engine.register_dtype
@dtypes.immutable
class Text(pandas_engine.NpString):
    """Strings or missing values, in an object or a pandas string column."""

    def check(self, pandera_dtype: dtypes.DataType, data_container: Any = None) -> bool:  # type: ignore[override]
        if not super().check(pandera_dtype):
            return False
        if data_container is None:
            return True
        if pd.api.types.infer_dtype(data_container, skipna=True) in _ALL_TEXT:
            return True
        # Something else is in the column (or a missing value pandas does not
        # skip, such as NaT): pandera's own test of every value, which names
        # the values that fail.
        return super().check(pandera_dtype, data_container)  # type: ignore[return-value]
