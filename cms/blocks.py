from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        template = "components/callout_block.html"
        icon = "help"


class LevelBlock(blocks.StructBlock):
    level = blocks.IntegerBlock(label=_("level"), min_value=1, max_value=5)
    name = blocks.CharBlock(label=_("name"))
    description = blocks.TextBlock(label=_("description"))

    class Meta:
        template = "components/level_block.html"
        icon = "list-ol"


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("heading"), form_classname="title", template="components/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"), features=["h3", "bold", "italic", "link", "ol", "ul"]
    )
    callout = CalloutBlock()
    levels = blocks.ListBlock(
        LevelBlock(), label=_("levels"), template="components/levels_block.html"
    )
