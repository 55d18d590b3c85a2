"""What every form shares: NL Design System classes on its widgets."""

from typing import Any

from django import forms


class StyledForm:
    """Mixin for forms and model forms: each widget gets its Utrecht CSS class."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "utrecht-checkbox"
            elif isinstance(widget, forms.Select):
                css = "utrecht-select utrecht-select--html-select"
            elif isinstance(widget, forms.Textarea):
                css = "utrecht-textarea utrecht-textarea--html-textarea"
            else:
                css = "utrecht-textbox utrecht-textbox--html-input"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    """A native date picker; values go back and forth as ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format="%Y-%m-%d")
