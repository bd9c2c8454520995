"""StreamField blocks for editing a maturity model in the CMS, both languages side by side."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

GROUP_CHOICES = [
    ("board", _("Board / management team")),
    ("managers", _("Managers")),
    ("staff", _("Staff")),
    ("partners", _("Contract partners")),
    ("tenants", _("Tenants")),
]


class GroupWordingBlock(blocks.StructBlock):
    """A level's, domain's or cell's name and description in a group's own words."""

    group = blocks.ChoiceBlock(choices=GROUP_CHOICES, label=_("group"))
    name_nl = blocks.CharBlock(label=_("name (Dutch)"))
    name_en = blocks.CharBlock(label=_("name (English)"))
    description_nl = blocks.TextBlock(label=_("description (Dutch)"), required=False)
    description_en = blocks.TextBlock(label=_("description (English)"), required=False)

    class Meta:
        label_format = "{group}"


def group_wording_list() -> blocks.ListBlock:
    return blocks.ListBlock(
        GroupWordingBlock(),
        default=[],
        label=_("name and description in a group's own words"),
        help_text=_("Optional, e.g. for tenants or contract partners."),
    )


class LevelBlock(blocks.StructBlock):
    level = blocks.IntegerBlock(label=_("level"), min_value=1, max_value=5)
    name_nl = blocks.CharBlock(label=_("name (Dutch)"))
    name_en = blocks.CharBlock(label=_("name (English)"))
    description_nl = blocks.TextBlock(label=_("description (Dutch)"))
    description_en = blocks.TextBlock(label=_("description (English)"))
    wording = group_wording_list()

    class Meta:
        icon = "list-ol"
        label_format = "{level}. {name_nl}"


class WordingBlock(blocks.StructBlock):
    group = blocks.ChoiceBlock(choices=GROUP_CHOICES, label=_("group"))
    text_nl = blocks.TextBlock(label=_("text (Dutch)"))
    text_en = blocks.TextBlock(label=_("text (English)"))

    class Meta:
        label_format = "{group}"


class StatementBlock(blocks.StructBlock):
    code = blocks.CharBlock(label=_("code"), max_length=40)
    text_nl = blocks.TextBlock(label=_("statement (Dutch)"))
    text_en = blocks.TextBlock(label=_("statement (English)"))
    groups = blocks.MultipleChoiceBlock(
        choices=GROUP_CHOICES,
        required=False,
        label=_("only for these groups"),
        help_text=_("Leave empty to ask every group."),
    )
    wording = blocks.ListBlock(WordingBlock(), label=_("own wording per group"), default=[])

    class Meta:
        icon = "pick"
        label_format = "{code} {text_nl}"


class DescriptorBlock(blocks.StructBlock):
    level = blocks.IntegerBlock(min_value=1, max_value=5, label=_("level"))
    text_nl = blocks.TextBlock(label=_("descriptor (Dutch)"))
    text_en = blocks.TextBlock(label=_("descriptor (English)"))

    class Meta:
        label_format = "{level}"


class GroupDescriptorsBlock(blocks.StructBlock):
    group = blocks.ChoiceBlock(choices=GROUP_CHOICES, label=_("group"))
    descriptors = blocks.ListBlock(
        DescriptorBlock(), min_num=5, max_num=5, label=_("level descriptors")
    )

    class Meta:
        label_format = "{group}"


class CellBlock(blocks.StructBlock):
    code = blocks.CharBlock(label=_("code"), max_length=40)
    name_nl = blocks.CharBlock(label=_("name (Dutch)"), max_length=40)
    name_en = blocks.CharBlock(label=_("name (English)"), max_length=40)
    description_nl = blocks.TextBlock(label=_("description (Dutch)"), required=False)
    description_en = blocks.TextBlock(label=_("description (English)"), required=False)
    wording = group_wording_list()
    descriptors = blocks.ListBlock(
        DescriptorBlock(), min_num=5, max_num=5, label=_("level descriptors")
    )
    group_descriptors = blocks.ListBlock(
        GroupDescriptorsBlock(),
        default=[],
        label=_("level descriptors in a group's own words"),
        help_text=_("Optional, e.g. for tenants or contract partners; all five levels."),
    )
    statements = blocks.ListBlock(StatementBlock(), min_num=1, label=_("statements"))

    class Meta:
        icon = "placeholder"
        label_format = "{code} {name_nl}"


class DomainBlock(blocks.StructBlock):
    code = blocks.CharBlock(label=_("code"), max_length=40)
    name_nl = blocks.CharBlock(label=_("name (Dutch)"))
    name_en = blocks.CharBlock(label=_("name (English)"))
    description_nl = blocks.TextBlock(label=_("description (Dutch)"), required=False)
    description_en = blocks.TextBlock(label=_("description (English)"), required=False)
    wording = group_wording_list()
    cells = blocks.ListBlock(CellBlock(), min_num=1, label=_("cells"))

    class Meta:
        icon = "folder-open-inverse"
        label_format = "{code} {name_nl}"
