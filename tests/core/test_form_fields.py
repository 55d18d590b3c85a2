"""The one field markup: a screen reader finds a field's help through aria-describedby."""

import lxml.html
from django import forms
from django.template.loader import render_to_string


class Example(forms.Form):
    year = forms.IntegerField(label="Jaar", help_text="Bijvoorbeeld 2025.")
    note = forms.CharField(label="Toelichting", required=False)


def test_the_help_text_is_where_the_field_says_it_is():
    form = Example(data={"year": "twintig"})
    page = lxml.html.fromstring(
        f"<div>{render_to_string('form_fields.html', {'form': form})}</div>"
    )
    [field] = page.xpath("//input[@name='year']")
    described = field.get("aria-describedby").split()
    assert page.xpath(f"//*[@id='{described[0]}']/text()") == ["Bijvoorbeeld 2025."]
    assert page.xpath("//*[@id='id_year_error']//text()")  # the error is shown beside it
    assert page.xpath("//label[@for='id_note']//*[@class='waardig-optional']")
