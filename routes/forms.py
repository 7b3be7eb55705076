from django import forms

from .models import ErrorReport


class ErrorReportForm(forms.ModelForm):
    """What a visitor says is wrong on a route page."""

    # Left empty by people; bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ErrorReport
        fields = ["message", "source_url", "email"]
        labels = {
            "message": "What is wrong?",
            "source_url": "A link to a source that shows it (optional)",
            "email": "Your email, if you want an answer (optional)",
        }
        help_texts = {
            "message": "Say which fact is wrong and what it should say. Up to 2,000 characters.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 2000})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError("Please say a little more: at least 10 characters.")
        return message

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
