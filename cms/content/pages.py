"""Default public pages in Dutch and English. Written for the people who use Klantraat."""

from typing import Any, TypedDict


class PageText(TypedDict):
    title: str
    intro: str
    body: list[tuple[str, Any]]  # (block kind, value: text, a struct or a list of them)


class PageSpec(TypedDict):
    slug: str
    nl: PageText
    en: PageText


HOME: dict[str, PageText] = {
    "nl": {
        "title": "Klantraat",
        "intro": (
            "Klantraat meet hoe klantgericht een woningcorporatie werkt: in klantvisie, "
            "klantprocessen, digitalisering en gedrag. Medewerkers, leidinggevenden, ketenpartners "
            "en huurders geven hun oordeel; de honingraat laat zien waar je staat, waar je heen wilt "
            "en of het beter wordt."
        ),
        "body": [
            ("heading", "Zo werkt het"),
            (
                "paragraph",
                "<ol><li><b>Ambitie.</b> Je formuleert de stip aan de horizon: wat wil je dat huurders merken?</li>"
                "<li><b>Scan.</b> Iedereen beantwoordt korte stellingen op vijf niveaus, op telefoon of laptop.</li>"
                "<li><b>Honingraat.</b> Per cel zie je de score, de spreiding en het verschil tussen groepen.</li>"
                "<li><b>Verbeteren.</b> Een werkgroep koppelt verbeteracties aan cellen en houdt de voortgang bij.</li>"
                "<li><b>Evalueren.</b> Periodiek meet je opnieuw; de directie ziet of het echt beter gaat.</li></ol>",
            ),
            (
                "callout",
                {
                    "title": "Anoniem en veilig",
                    "text": "<p>Cijfers verschijnen pas als een ronde sluit, nooit terwijl de antwoorden binnenkomen. Ze gaan alleen over groepen die groot genoeg zijn (meestal minstens vijf mensen), en nooit zo dat je door aftrekken, ook tussen twee publicaties, een kleinere groep kunt herleiden. Niemand ziet losse antwoorden; een opmerking staat er zonder naam en alleen bij een groep die getoond wordt.</p>",
                },
            ),
        ],
    },
    "en": {
        "title": "Klantraat",
        "intro": (
            "Klantraat measures how customer-oriented a housing corporation works: in customer "
            "vision, customer processes, digitalisation and behaviour. Staff, managers, contract "
            "partners and tenants give their view; the honeycomb shows where you stand, where you "
            "want to go and whether things improve."
        ),
        "body": [
            ("heading", "How it works"),
            (
                "paragraph",
                "<ol><li><b>Ambition.</b> You set the point on the horizon: what should tenants notice?</li>"
                "<li><b>Scan.</b> Everyone answers short statements on five levels, on a phone or laptop.</li>"
                "<li><b>Honeycomb.</b> Per cell you see the score, the spread and the difference between groups.</li>"
                "<li><b>Improve.</b> A working group links improvement actions to cells and tracks progress.</li>"
                "<li><b>Evaluate.</b> You measure again periodically; the board sees whether things really improve.</li></ol>",
            ),
            (
                "callout",
                {
                    "title": "Anonymous and safe",
                    "text": "<p>Figures appear only when a round closes, never while answers come in. They only cover groups that are large enough (usually at least five people), and never in a way that lets you work out a smaller group by subtraction, also between two releases. Nobody sees individual answers; a comment appears without a name and only with a group that is shown.</p>",
                },
            ),
        ],
    },
}

PAGES: list[PageSpec] = [
    {
        "slug": "methode",
        "nl": {
            "title": "Over de methode",
            "intro": "Dienstverlening mag nooit een 'ABC'tje' zijn. Het verschil tussen oké en fantastisch zit in de mensen.",
            "body": [
                (
                    "paragraph",
                    "<p>Blijvende klanttevredenheid ontstaat pas als alle medewerkers, niet alleen de frontoffice, oprecht "
                    "geïnteresseerd zijn in hun klanten. Gastvrijheid en klantgerichtheid zijn voor een groot deel leerbaar.</p>"
                    "<p>De scan brengt in beeld waar je organisatie staat in vier domeinen: klantvisie, klantprocessen, "
                    "digitalisering en gedrag van medewerkers en leidinggevenden. Huurders en ketenpartners (je 'externe collega's') "
                    "doen mee, zodat je niet op voorhand voor de klant invult.</p>",
                ),
                ("heading", "Periodiek evalueren"),
                (
                    "paragraph",
                    "<p>Om een hogere kwaliteit van dienstverlening te borgen, meet je periodiek opnieuw. De werkgroep "
                    "bespreekt de uitkomsten, de directie tekent de evaluatie af.</p>",
                ),
                ("heading", "Hoe we je anonimiteit bewaken"),
                (
                    "paragraph",
                    "<p>Een cijfer verschijnt alleen als er genoeg mensen achter zitten: minstens de drempel die voor de "
                    "ronde is ingesteld, meestal vijf. Alleen die drempel is niet genoeg. Telt 'Eigen organisatie' 18 mensen, "
                    "'Bestuur en MT' 5 en 'Medewerkers' 9, dan zou je door aftrekken de score van de 4 leidinggevenden "
                    "kunnen uitrekenen.</p>"
                    "<p>Daarom controleert Klantraat, zoals statistiekbureaus dat doen, elke combinatie van getoonde "
                    "cijfers: geen optelling of aftrekking mag een groep kleiner dan de drempel opleveren. Kan dat wel, "
                    "dan verbergen we ook een tweede cijfer. Je ziet dan soms 'te weinig antwoorden' bij een groep die "
                    "op zich groot genoeg lijkt: dat is met opzet. Afdelingen tonen we zonder aantallen. Dezelfde regel "
                    "geldt voor de pagina's, de grafieken, Excel, het bestuursrapport en de koppeling met andere "
                    "systemen.</p>"
                    "<p><b>Pas bij het sluiten.</b> Cijfers die met elk nieuw antwoord veranderen, verraden de nieuwste "
                    "invuller: het gemiddelde van negen mensen min dat van acht is één antwoord. Daarom publiceren we de "
                    "cijfers pas als de ronde sluit. Een tussentijdse publicatie kan alleen de adviseur maken, en alleen als "
                    "elke getoonde groep sindsdien minstens de drempel aan nieuwe mensen heeft. Elke publicatie wordt "
                    "gecontroleerd samen met alle eerdere: wat ooit verborgen was, blijft beschermd.</p>"
                    "<p><b>Open links.</b> Een open link (bijvoorbeeld voor een huurdersavond) kan iedereen met de link "
                    "invullen. Die antwoorden tellen daarom niet mee om een groep met persoonlijke uitnodigingen boven de "
                    "drempel te tillen: niemand kan zo met een paar eigen antwoorden het antwoord van één echte huurder "
                    "zichtbaar maken.</p>"
                    "<p><b>Gegevens wissen.</b> Vraag je ons je gegevens te wissen, dan verdwijnen je naam, e-mailadres en "
                    "opmerkingen overal, ook uit afgetekende rapporten. Je scores blijven als anoniem getal meetellen.</p>",
                ),
            ],
        },
        "en": {
            "title": "About the method",
            "intro": "Service should never be a box-ticking exercise. The difference between okay and fantastic lies in people.",
            "body": [
                (
                    "paragraph",
                    "<p>Lasting customer satisfaction only comes when all staff, not just the front office, take a genuine "
                    "interest in their customers. Hospitality and customer orientation can largely be learned.</p>"
                    "<p>The scan shows where your organisation stands in four domains: customer vision, customer processes, "
                    "digitalisation and the behaviour of staff and managers. Tenants and contract partners (your 'external colleagues') "
                    "take part, so you do not decide for the customer in advance.</p>",
                ),
                ("heading", "Evaluating periodically"),
                (
                    "paragraph",
                    "<p>To secure a higher quality of service, you measure again periodically. The working group discusses "
                    "the results and the board signs off the evaluation.</p>",
                ),
                ("heading", "How we protect your anonymity"),
                (
                    "paragraph",
                    "<p>A figure only appears when enough people stand behind it: at least the threshold set for the "
                    "round, usually five. That threshold alone is not enough. If 'own organisation' counts 18 people, "
                    "'board and management' 5 and 'staff' 9, subtracting would give the score of the 4 managers.</p>"
                    "<p>So Klantraat, like statistics offices, checks every combination of the figures it shows: no sum "
                    "or difference may give a group smaller than the threshold. Where one could, a second figure is "
                    "hidden too. You may then see 'too few answers' for a group that seems large enough on its own: "
                    "that is on purpose. Departments are listed without numbers. The same rule holds for the pages, "
                    "the charts, Excel, the board report and the link with other systems.</p>"
                    "<p><b>Only at closing.</b> Figures that change with every new answer give away the newest "
                    "respondent: the mean of nine people minus that of eight is one answer. So figures are published "
                    "when the round closes. Only the consultant can make an interim release, and only when every group "
                    "shown has gained at least the threshold of new people since. Every release is checked together "
                    "with all earlier ones: what was hidden once stays protected.</p>"
                    "<p><b>Open links.</b> Anyone with an open link (for a tenant evening, say) can answer through it. "
                    "Those answers therefore never lift a group of personally invited people over the threshold: a few "
                    "answers of one's own cannot make one real tenant's answer visible.</p>"
                    "<p><b>Erasure.</b> If you ask us to erase your data, your name, e-mail address and comments "
                    "disappear everywhere, signed-off reports included. Your scores keep counting as an anonymous "
                    "number.</p>",
                ),
            ],
        },
    },
    {
        "slug": "niveaus",
        "nl": {
            "title": "Wat de niveaus betekenen",
            "intro": "Elke stelling beantwoord je op vijf niveaus. Kies het niveau dat het best past bij wat je in de praktijk ziet.",
            "body": [
                (
                    "levels",
                    [
                        {
                            "level": 1,
                            "name": "Startend",
                            "description": "Het hangt af van wie je treft. Er zijn nog geen afspraken.",
                        },
                        {
                            "level": 2,
                            "name": "Ontwikkelend",
                            "description": "Er zijn afspraken, maar niet iedereen werkt ernaar.",
                        },
                        {
                            "level": 3,
                            "name": "Gevestigd",
                            "description": "De meeste mensen werken er volgens afspraak naar. Huurders merken het.",
                        },
                        {
                            "level": 4,
                            "name": "Gevorderd",
                            "description": "Het zit in de manier van werken. We meten het en verbeteren steeds.",
                        },
                        {
                            "level": 5,
                            "name": "Toonaangevend",
                            "description": "Huurders en partners denken mee. Andere corporaties leren van ons.",
                        },
                    ],
                ),
                (
                    "callout",
                    {
                        "title": "Niet van toepassing of weet ik niet",
                        "text": "<p>Kun je een stelling niet beoordelen? Kies dan 'niet van toepassing / weet ik niet'. Dat telt niet mee in de score.</p>",
                    },
                ),
            ],
        },
        "en": {
            "title": "What the levels mean",
            "intro": "You answer every statement on five levels. Choose the level that best fits what you see in practice.",
            "body": [
                (
                    "levels",
                    [
                        {
                            "level": 1,
                            "name": "Starting",
                            "description": "It depends on who you meet. There are no agreements yet.",
                        },
                        {
                            "level": 2,
                            "name": "Developing",
                            "description": "There are agreements, but not everyone works by them.",
                        },
                        {
                            "level": 3,
                            "name": "Established",
                            "description": "Most people work by the agreements. Tenants notice it.",
                        },
                        {
                            "level": 4,
                            "name": "Advanced",
                            "description": "It is part of how we work. We measure it and keep improving.",
                        },
                        {
                            "level": 5,
                            "name": "Leading",
                            "description": "Tenants and partners think along. Other corporations learn from us.",
                        },
                    ],
                ),
                (
                    "callout",
                    {
                        "title": "Not applicable or don't know",
                        "text": "<p>Cannot judge a statement? Choose 'not applicable / don't know'. It does not count in the score.</p>",
                    },
                ),
            ],
        },
    },
    {
        "slug": "privacy",
        "nl": {
            "title": "Privacy",
            "intro": "Hoe Klantraat met je antwoorden en gegevens omgaat.",
            "body": [
                (
                    "paragraph",
                    "<ul><li>Je persoonlijke link is geheim en werkt alleen tot de scan sluit.</li>"
                    "<li>Uitkomsten worden alleen per groep van minimaal vijf mensen getoond, ook in exports.</li>"
                    "<li>Op verzoek verwijderen we je naam en e-mailadres; de anonieme antwoorden blijven meetellen.</li></ul>",
                )
            ],
        },
        "en": {
            "title": "Privacy",
            "intro": "How Klantraat handles your answers and data.",
            "body": [
                (
                    "paragraph",
                    "<ul><li>Your personal link is secret and only works until the scan closes.</li>"
                    "<li>Results are only shown per group of at least five people, exports included.</li>"
                    "<li>On request we delete your name and e-mail address; the anonymous answers still count.</li></ul>",
                )
            ],
        },
    },
]
