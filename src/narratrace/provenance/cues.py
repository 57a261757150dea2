"""How each language attributes a statement: the cue lexicon, as data.

Every field is a regex alternation (matched case-insensitively, on word
boundaries). Adding a language means adding one `Lexicon`, not code:

- `according`: the source follows ("according to X", "selon X", "menurut X").
- `say` / `report`: verbs of saying and of reporting; the source is their subject,
  written before ("X said") or after the verb ("», a déclaré X", "сообщает ТАСС").
- `told`: after a verb, who was told ("à l'AFP", "told the BBC"): an outlet.
- `interview`: the outlet follows ("in an interview with X", "berbicara dengan X").
- `bylines`: at the start of a line, the source follows ("Source : X", "Traduction X");
  `translations` are the byline cues that make the citation `translated_from`.
- `postpositions`: the source precedes (Turkish "X'e göre").
- `impersonal`: hearsay with nobody named ("hieß es", "bildirildi"): anonymous by itself.
- `anonymous`: words that make a cited span an unnamed source (sources, insiders, officials).
- `indefinite`: articles that introduce an unidentified person ("a local priest").
- `spokesperson`: role nouns that speak on the record for a named body.
- `pronouns`: subjects that name nobody new; `aux`: auxiliaries that end a subject.
- `openers`: words after which a subject starts; `stops`: words that end a source on the right.
- `documents`: "a report by" in front of the real source, stripped from the span.
- `media`: words that make a told-object an outlet ("correspondent", "agence").
- `relatives`: relative pronouns that refer a verb back to the phrase before their comma
  ("X, who had told reporters").
- `bracket`: auxiliaries that open a verb bracket closed by the participle of saying
  ("Der Minister hat ... vermeldet"): the subject stands before the auxiliary.
- `reflexives`: clitics that open a reflexive verb ("se dit"), whose subject never follows it.
- `coordinators`: "and" joining two named subjects of one verb ("Merkel and Hollande confirmed").
- `determiners`: articles that open a noun phrase ("les renseignements russes" is a source, not a clause).
- `demonstratives`: pronouns that also follow a noun as determiners ("sumber itu").
- `prodrop`: the subject may be left out, so a sentence-initial verb has none on its left.
- `order`: "svo" (subject before, or inverted after punctuation), "vso" (after the verb),
  "sov" (the subject opens the sentence).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lexicon:
    according: str
    say: str
    report: str
    told: str
    interview: str
    bylines: str
    translations: str
    anonymous: str
    pronouns: str
    openers: str
    stops: str
    documents: str
    media: str
    aux: str = ""
    postpositions: str = ""
    impersonal: str = ""
    indefinite: str = ""
    spokesperson: str = ""
    relatives: str = ""
    bracket: str = ""
    reflexives: str = ""
    coordinators: str = ""
    determiners: str = ""
    demonstratives: str = ""
    prodrop: bool = False
    order: str = "svo"


EN = Lexicon(
    according=r"according to|as reported by|reported by|as quoted by|quoted by|as cited by|cited by|citing|"
    r"as revealed by|revealed by|as announced by|writing in|in a statement by|as per|distributed by|released by|"
    r"published by",
    say=r"said|says|say|told|tells|stated|declared|claimed|claims|claim|denied|denies|deny|warned|warns|wrote|"
    r"writes|tweeted|noted|notes|insisted|insists|argued|argues|admitted|stressed|complained|complain|"
    r"complains|replied|commented|cautioned|emphasi[sz]ed|pointed out|suggested|suggest|suggests|concluded|"
    r"recalled|urged|demanded|demands|"
    # These also take a plain object ("adds a coach", "confirmed his predictions"): speech only
    # when inverted after a quote or comma, or followed by punctuation, a quote or "that".
    r"explained|explains|described|acknowledged|acknowledges|"
    r"(?<=[,\"”»]\s{0,3})(?:added|adds|confirmed|confirms)|(?:added|adds|confirmed|confirms)"
    r"(?=\s*(?:[,.:;\"“”]|$)|\s+that\b)",
    report=r"reported|reports|announced|announces|revealed|disclosed|published|informed|"
    # The bare form is mostly a noun ("the report"): a verb only after a name or quoted title, closing its clause.
    r"(?<=(?:\p{Lu}\p{L}*|[\"”»])\s)report(?=\s*(?:[.,;:]|$)|\s+that\b)",
    told=r"told|to|in an interview with|speaking to|speaking with",
    interview=r"in an interview with|in an interview to|speaking to|spoke to|told",
    bylines=r"source|sources|via|credit|courtesy of|(?:originally|first) published (?:by|in|on|at)|"
    r"republished (?:from|with permission of|with permission from)|read the (?:original|full) article (?:at|on)",
    translations=r"translation|translated by|translated from|translation by",
    anonymous=r"sources?|insiders?|informants?|officials?|witness(?:es)?|eyewitness(?:es)?|residents|locals|"
    r"experts?|analysts?|observers?|diplomats?|critics|people|persons?|someone|somebody|users|fans|reports|"
    r"media|managers|employees|workers|scientists|doctors|activists|anonymity|unnamed|unidentified",
    pronouns=r"he|she|they|it|we|i|you|this|that|these|those|which|who|one|him|her|them|there",
    openers=r"that|which|who|whom|as|while|when|after|before|because|but|if|whereas|although|since|where|so|then|"
    r"also|later|earlier|once|and|or",
    stops=r"that|on|in|at|during|after|before|as|when|while|with|to|for|last|this|yesterday|today|earlier|"
    r"adding|citing|who|which|about|of the|via|from|said|told|according|and|but",
    documents=r"(?:a|an|the)\s+(?:\p{L}+\s+)?(?:report|statement|news release|press release|release|communiqu[ée]|"
    r"study|letter|post|tweet|article|survey|dispatch|story|interview)\s+(?:by|from|of|in|on)",
    media=r"agency|newspaper|channel|radio|television|tv|correspondent|reporter|magazine|broadcaster|daily|"
    r"news|times|post|journal|tribune|herald|network|outlet|website|site",
    aux=r"has|have|had|was|were|is|are|will|would|could|should|may|might|also|then|later|previously|earlier|"
    r"repeatedly|once|reportedly|recently|on|last|this|yesterday|today",
    impersonal=r"it is reported|it was reported|it is said|it was said|it is claimed|it was claimed",
    indefinite=r"a|an|one",
    spokesperson=r"spokes(?:man|woman|person)|representative|press secretary|press office|statement",
    relatives=r"who",
    coordinators=r"and",
    determiners=r"the",
)

FR = Lexicon(
    according=r"selon|d['’]après|citant|cité par|cités par|citée par|citées par|a cité|ont cité|"
    r"rapporté par|rapportés par|rapportée par|annoncée? par|annoncés par|relayée? par|publiée? par|"
    r"aux dires d[eu]|de l['’]avis d[eu]|lisez l['’]article (?:dans|sur)|lire l['’]article (?:dans|sur)|à lire sur",
    say=r"(?:a|ont|avait|avaient|aurait|auraient)\s+(?:(?:également|aussi|déjà|ensuite|encore|\p{L}+ment)\s+)?(?:déclaré|dit|affirmé|indiqué|ajouté|expliqué|précisé|"
    r"souligné|assuré|estimé|commenté|mentionné|confirmé|reconnu|déploré|insisté|martelé|écrit|tweeté|"
    r"répondu|prévenu|noté|averti|accusé|rappelé|confié|raconté|dénoncé|démenti|révélé|lancé|"
    r"jugé|fait savoir|fait valoir|signalé|observé|conclu|protesté|nié|admis|argué|soutenu|"
    # "plaider pour" is to advocate a cause, not to state something.
    r"plaidé(?!\s+pour\b))|"
    r"déclare|déclarent|déclarait|affirme|affirment|affirmait|indique|indiquent|indiquait|explique|expliquent|"
    r"expliquait|ajoute|ajoutait|souligne|soulignait|assure|assurait|estime|estiment|estimait|précisait|"
    r"confie|confiait|raconte|racontait|martèle|prévient|avertit|dénonce|confirme|reconnaît|se dit|se disent|"
    r"commente|déplore|rappelle|insiste|soutient|juge",
    report=r"(?:a|ont|avait|avaient)\s+(?:(?:également|aussi|déjà|ensuite|encore|\p{L}+ment)\s+)?(?:rapporté|annoncé|publié|révélé|relayé|informé|fourni)|"
    r"rapporte|rapportent|rapportait|annonce|annoncent|révèle|publie|relaie|écrit",
    told=r"à|au|aux|auprès d[eu]|auprès des",
    interview=r"(?:s['’]est|se sont)\s+entretenue?s?\s+avec|dans un entretien (?:accordé )?(?:à|au|avec)|"
    r"dans une interview (?:accordée )?(?:à|au)|interrogée? par|interviewée? par|a confié à|a déclaré à",
    bylines=r"source|sources|via|crédit|publié (?:initialement|d['’]abord) (?:par|sur|dans)|"
    r"en savoir plus sur|lire la suite sur|article original|à l['’]origine sur",
    translations=r"traduction|traduit par|traduit de|trad\.|traduction par",
    anonymous=r"sources?|informateurs?|témoins?|habitants|experts?|analystes?|observateurs?|diplomates?|"
    r"responsables?|proches?|médias|personnes?|internautes|utilisateurs|militants|fonctionnaires|officiels|"
    r"initiés|rumeurs|anonymat|anonyme",
    pronouns=r"il|elle|ils|elles|on|je|nous|vous|celui-ci|celle-ci|ce|cela|ceci|qui|lui|leur|y|lequel|laquelle|"
    r"lesquels|lesquelles|quoi|moi|toi|eux",
    openers=r"que|qu|qui|dont|lorsque|quand|alors|après|avant|car|mais|où|si|puisque|comme|tandis|et|ou|"
    r"également|aussi|ensuite|puis|déjà",
    stops=r"que|qu|à|au|aux|lors|dans|en|sur|pour|après|avant|depuis|mardi|lundi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|hier|disant|qui|dont|selon|et|ce|cette|le mois|la semaine|l['’]an|concernant|devant",
    documents=r"(?:un|une|le|la|l['’]|les|des)\s*(?:rapport|communiqué|article|reportage|déclaration|dépêche|"
    r"publication|message|tweet|enquête|étude|note|informations?|correspondant)\s+(?:de|du|des|d['’]|"
    r"publiée? par|diffusée? par)",
    media=r"agence|journal|quotidien|chaîne|radio|télévision|correspondant|journaliste|magazine|hebdomadaire|"
    r"site|média|presse",
    # "l" is the elided object clitic of "Le comité l'a annoncé", never part of the subject.
    aux=r"a|ont|avait|avaient|est|sont|sera|serait|aurait|auraient|également|aussi|ensuite|déjà|a également|l",
    indefinite=r"un|une",
    spokesperson=r"porte-parole|représentant|représentante|chargée? de communication|attachée? de presse",
    relatives=r"qui",
    reflexives=r"se|s['’]",
    coordinators=r"et",
    determiners=r"le|la|les|l['’]",
)

DE = Lexicon(
    according=r"laut|nach Angaben (?:von|des|der|vom|aus)|nach Informationen (?:von|des|der|vom)|"
    r"(?<=,\s*)so|zitiert|zitierte|(?:verlautete|hie(?:ß|ss) es|hei(?:ß|ss)t es)(?:\s+(?!aus\b|von\b)\p{L}+){0,3}?\s+(?:aus|von)|"
    r"hie(?:ß|ss) es (?:bei|in)|"
    r"wie (?:berichtet|gemeldet) von",
    say=r"sagte|sagt|sagten|sagen|erklärte|erklärt|erklärten|teilte|teilt|teilten|mitteilte|mitgeteilt|"
    r"betonte|betont|warnte|warnt|schrieb|schreibt|twitterte|bestätigte|bestätigt|kritisierte|forderte|"
    r"fügte hinzu|hinzufügte|erläuterte|kündigte an|ankündigte|bezeichnete|beklagte|beklagte sich|"
    r"sprach von|spricht von|verwies|unterstrich|äu(?:ß|ss)erte|dementierte|versicherte|räumte ein|einräumte|"
    r"betonten|meinte|meint|hie(?:ß|ss) es von",
    report=r"berichtete|berichtet|berichten|berichteten|meldete|meldet|vermeldet|vermeldete|"
    r"veröffentlichte|verkündete|gab bekannt|bekanntgab|informiert|informierte|informierten",
    told=r"zur|zum|gegenüber|im Interview mit|in einem Interview mit|im Gespräch mit|der Zeitung|dem Sender",
    interview=r"im Interview mit|in einem Interview mit|im Gespräch mit|gegenüber",
    bylines=r"quelle|quellen|via|mit Material von|zuerst erschienen (?:bei|in|auf)|weiterlesen auf",
    translations=r"übersetzung|übersetzt von|übersetzt aus|aus dem \p{L}+ übersetzt von",
    # Compounds may be hyphenated: "US-Regierungsbeamten", "Regierungs-Insider".
    anonymous=r"[\p{L}\-]*(?:quelle|quellen|insider|kreise|kreisen|zeugen|experten|beobachter|diplomaten|"
    r"beamte|beamten|teilnehmer|teilnehmern|informanten|medien|medienberichten|berichten|nutzer|kritiker|"
    r"anwohner|anonymität)|anonym|ungenannt",
    pronouns=r"er|sie|es|wir|ich|man|ihr|dieser|diese|dies",
    openers=r"dass|wie|weil|als|wenn|ob|nachdem|während|sondern|doch|denn|und|oder|aber|zudem|auch|"
    r"au(?:ß|ss)erdem|demnach",
    stops=r"dass|am|im|in|bei|auf|nach|vor|für|mit|über|zur|zum|gegenüber|laut|der Zeitung|dem Sender|"
    r"und|weiter|weiterhin|bereits|zuvor|heute|gestern|nun|jetzt|als",
    documents=r"(?:ein|eine|einem|einer|dem|der|den|das|die)\s+(?:Bericht|Mitteilung|Erklärung|Pressemitteilung|"
    r"Meldung|Studie|Interview|Beitrag|Artikel)\s+(?:von|des|der|vom|aus)",
    media=r"[\p{L}\-]*(?:agentur|zeitung|sender|station|radio|fernsehen|magazin|blatt|korrespondent|reporter|"
    r"journalist|portal|dienst)",
    aux=r"hat|hatte|haben|hatten|ist|war|sind|waren|wird|wurde|werden|sei|habe|am|im|auch|bereits|zuvor|"
    r"weiter|nun|heute|gestern",
    impersonal=r"hie(?:ß|ss) es|hei(?:ß|ss)t es|es wurde gesagt|verlautete|es hie(?:ß|ss)",
    indefinite=r"ein|eine|einer|eines|einem|einen",
    spokesperson=r"sprecher|sprecherin|pressesprecher|pressesprecherin|vertreter|vertreterin|polizeisprecher",
    relatives=r"der|die",
    bracket=r"hat|haben|hatte|hatten",
    coordinators=r"und",
    determiners=r"der|die|das|den|dem|des",
)

ES = Lexicon(
    according=r"según|de acuerdo con|de acuerdo a|citado por|citada por|citando a|a juicio de|"
    r"en palabras de|según informó|según informa|según publica|"
    r"(?:ha|han|había|fue|fueron) sido (?:anunciad|informad|comunicad|publicad|difundid)[oa]s? por|"
    r"(?:fue|fueron) (?:anunciad|informad|comunicad|publicad|difundid)[oa]s? por",
    say=r"dijo|dice|dicen|dijeron|afirmó|afirma|afirmaron|aseguró|asegura|aseguraron|declaró|declara|"
    r"declararon|explicó|explica|explicaron|indicó|indica|indicaron|señaló|señala|señalaron|sostuvo|"
    r"subrayó|destacó|precisó|agregó|añadió|advirtió|advierte|reconoció|confirmó|denunció|manifestó|"
    r"expresó|apuntó|detalló|admitió|criticó|escribió|tuiteó|insistió|aclaró|consideran|considera|"
    r"consideró|rechazaron|rechazó|reafirmaron|reafirmó|exclamó|confesó|comentó|respondió|recordó|"
    r"(?:ha|han|había|habían)\s+(?:dicho|afirmado|asegurado|declarado|explicado|indicado|señalado|"
    r"subrayado|destacado|advertido|reconocido|confirmado|denunciado|manifestado|expresado|criticado|"
    r"escrito|insistido|aclarado|considerado|rechazado|comentado)",
    report=r"informó|informa|informan|informaron|anunció|anuncia|anunciaron|comunicó|comunica|reveló|"
    r"publicó|publica|reportó|reporta|(?:ha|han|había)\s+(?:informado|anunciado|comunicado|revelado|publicado)",
    told=r"a|al|a la|ante",
    interview=r"en (?:una )?entrevista (?:con|a|al|a la)|en declaraciones a|en declaraciones al",
    bylines=r"fuente|fuentes|vía|via|publicado originalmente (?:en|por)|leer más en",
    translations=r"traducción|traducido por|traducido de",
    anonymous=r"fuentes?|informantes?|testigos?|vecinos|expertos?|analistas?|observadores?|diplomáticos?|"
    r"funcionarios|medios|personas|usuarios|internautas|informe|rumores|anonimato|anónim[oa]s?",
    pronouns=r"él|ella|ellos|ellas|yo|nosotros|esto|eso|ello|se|que|quien",
    openers=r"que|quien|quienes|cual|cuando|mientras|porque|pero|aunque|donde|como|y|o|también|luego|además",
    stops=r"que|en|a|al|durante|tras|antes|después|este|esta|hoy|ayer|ante|sobre|para|con|por|y|desde",
    documents=r"(?:un|una|el|la)\s+(?:informe|comunicado|artículo|reportaje|declaración|nota|estudio|mensaje|"
    r"publicación)\s+(?:de|del|publicado por)",
    media=r"agencia|diario|periódico|cadena|radio|televisión|corresponsal|periodista|revista|medio|portal|emisora",
    aux=r"ha|han|había|habían|es|fue|será|sería|también|ya|hoy|ayer|luego",
    impersonal=r"se dice|se informó|se supo|trascendió",
    indefinite=r"un|una",
    spokesperson=r"portavoz|vocero|vocera|representante",
    relatives=r"quien|quienes",
    coordinators=r"y|e",
    determiners=r"el|la|los|las",
    prodrop=True,
)

IT = Lexicon(
    according=r"secondo|stando a|a detta di|citato da|citata da|citando|come riferito da|come riporta|"
    r"come riportato da|come scrive|come ha scritto",
    say=r"(?:ha|hanno|aveva|avevano)\s+(?:detto|dichiarato|affermato|spiegato|aggiunto|sottolineato|"
    r"precisato|assicurato|confermato|ribadito|scritto|commentato|avvertito|denunciato|riferito|"
    r"raccontato|annunciato|osservato|ammesso)|dice|dichiara|afferma|spiega|aggiunge|sottolinea|"
    r"precisa|assicura|conferma|ribadisce|commenta|avverte|denuncia|racconta|osserva|scrive",
    report=r"riporta|riferisce|riferiscono|rende noto|(?:ha|hanno)\s+(?:riportato|reso noto|pubblicato|rivelato)|"
    r"annuncia|rivela|pubblica",
    told=r"a|al|alla|all['’]",
    interview=r"in un['’]intervista (?:a|al|alla|con)|intervistato da|intervistata da",
    bylines=r"fonte|fonti|via|pubblicato originariamente (?:su|da)",
    translations=r"traduzione|tradotto da",
    anonymous=r"fonti?|informatori?|testimoni?|residenti|esperti?|analisti?|osservatori?|diplomatici|"
    r"funzionari|media|persone|utenti|anonimato|anonim[oa]",
    pronouns=r"lui|lei|loro|io|noi|voi|questo|questa|ciò|che|chi|egli|ella|si",
    openers=r"che|chi|quando|mentre|perché|ma|anche|dove|come|e|o|poi|inoltre",
    stops=r"che|a|al|alla|in|nel|nella|durante|dopo|prima|oggi|ieri|su|per|con|e",
    documents=r"(?:un|una|il|lo|la|l['’])\s*(?:rapporto|comunicato|articolo|nota|studio|messaggio|dossier)\s+(?:di|del|della|dell['’])",
    media=r"agenzia|quotidiano|giornale|canale|radio|televisione|corrispondente|giornalista|rivista|testata",
    aux=r"ha|hanno|aveva|è|sono|sarà|anche|già|oggi|ieri|poi",
    impersonal=r"si dice|si apprende|si legge",
    indefinite=r"un|uno|una|un['’]",
    spokesperson=r"portavoce|rappresentante",
    relatives=r"che",
    coordinators=r"e|ed",
    determiners=r"il|lo|la|i|gli|le|l['’]",
    prodrop=True,
)

PT = Lexicon(
    according=r"segundo|de acordo com|conforme|citado por|citada por|citando|na opinião de|nas palavras de|"
    r"como noticiou|como informou",
    say=r"disse|diz|dizem|disseram|afirmou|afirma|afirmaram|declarou|declara|explicou|explica|"
    r"acrescentou|sublinhou|destacou|assegurou|garantiu|confirmou|denunciou|advertiu|alertou|"
    r"escreveu|ressaltou|salientou|comentou|admitiu|reconheceu|insistiu|observou|lembrou|defendeu|"
    r"(?:tem|têm|havia)\s+(?:dito|afirmado|declarado)",
    report=r"informou|informa|noticiou|noticia|anunciou|anuncia|revelou|publicou|divulgou|relatou|reportou",
    told=r"à|ao|a|aos|às",
    interview=r"em entrevista (?:à|ao|a|com)|em declarações (?:à|ao)|entrevistado por|entrevistada por",
    bylines=r"fonte|fontes|via|publicado originalmente (?:em|por|no|na)",
    translations=r"tradução|traduzido por|traduzido de",
    anonymous=r"fontes?|informantes?|testemunhas?|moradores|especialistas?|analistas?|observadores?|"
    r"diplomatas?|funcionários|mídia|imprensa|pessoas|usuários|internautas|anonimato|anônim[oa]s?",
    pronouns=r"ele|ela|eles|elas|eu|nós|isso|isto|que|quem|se",
    openers=r"que|quem|quando|enquanto|porque|mas|embora|onde|como|e|ou|também|depois|além",
    stops=r"que|em|no|na|ao|à|durante|após|antes|hoje|ontem|sobre|para|com|e|nesta|neste",
    documents=r"(?:um|uma|o|a)\s+(?:relatório|comunicado|artigo|reportagem|declaração|nota|estudo|mensagem)\s+(?:de|do|da)",
    media=r"agência|jornal|diário|canal|rádio|televisão|correspondente|jornalista|revista|portal|emissora",
    aux=r"tem|têm|havia|foi|é|será|também|já|hoje|ontem|nesta|neste",
    impersonal=r"diz-se|sabe-se|consta que|noticia-se",
    indefinite=r"um|uma",
    spokesperson=r"porta-voz|representante",
    relatives=r"que|quem",
    coordinators=r"e",
    determiners=r"o|a|os|as",
    prodrop=True,
)

RU = Lexicon(
    according=r"по словам|по данным|по информации|по сведениям|согласно|как сообщает|как сообщил|"
    r"как сообщила|как сообщили|как пишет|как писал|как писала|как передает|как передаёт|ссылаясь на|"
    r"со ссылкой на|по мнению|по оценке|по оценкам|как заявил|как заявила|как отметил|"
    r"как рассказал|как утверждает|цитирует|как стало известно|"
    # "опубликован на сайте KP.ru": the outlet that carried the text follows.
    r"опубликован[аоы]?\s+(?:на сайте|в газете|в издании|в журнале|в телеграм-канале)",
    say=r"сказал|сказала|сказали|заявил|заявила|заявили|заявляет|отметил|отметила|отметили|"
    r"подчеркнул|подчеркнула|добавил|добавила|добавили|пояснил|пояснила|пояснили|рассказал|рассказала|"
    r"рассказали|написал|написала|пишет|"
    r"признал|признала|уточнил|уточнила|заверил|призвал|призвала|поделился|поделилась|напомнил|"
    r"напомнила|комментировал|прокомментировал|прокомментировала|утверждает|утверждал|считает|"
    r"подчеркивал|подчеркивают|указывалось|указал|указала|отмечают|отметили в|говорит|говорится|"
    r"предупредил|предупредила|объявил|объявила|объявило|заявило|отметило",
    report=r"сообщил|сообщила|сообщили|сообщило|сообщает|сообщал|сообщала|передает|передаёт|передают|опубликовал|опубликовала|писал|писала|пишут|"
    r"информирует|информировал|информировали",
    told=r"корреспонденту|журналистам|изданию|агентству|газете|телеканалу|в интервью|в беседе с",
    interview=r"в интервью|в беседе с|в эфире|в разговоре с",
    bylines=r"источник|источники|по материалам|перевод|переведено|via|оригинал",
    translations=r"перевод|переведено|перевела|перевел",
    anonymous=r"источник\p{L}*|инсайдер\p{L}*|осведомлен\p{L}*|свидетел\p{L}*|очевид\p{L}*|жител\p{L}*|"
    r"эксперт\p{L}*|аналитик\p{L}*|наблюдател\p{L}*|дипломат\p{L}*|чиновник\p{L}*|СМИ|пользовател\p{L}*|"
    r"фанат\p{L}*|большинство|анонимн\p{L}*|собеседник\p{L}*",
    pronouns=r"он|она|они|оно|я|мы|вы|это|этом|этого|что|кто|его|ее|её|их|который|которая|которые|там",
    openers=r"что|чтобы|когда|пока|потому|но|хотя|где|как|и|а|также|затем|ранее|об этом|тогда|при этом",
    stops=r"что|в|во|на|о|об|обо|при|после|до|во время|сегодня|вчера|ранее|также|и|а|для|с|со|по|журналистам|"
    r"корреспонденту|изданию|агентству",
    documents=r"(?:в\s+)?(?:сообщении|заявлении|докладе|статье|публикации|материале|отчете|отчёте|"
    r"пресс-релизе)\s+",
    media=r"агентств\p{L}*|газет\p{L}*|издани\p{L}*|телеканал\p{L}*|радио|корреспондент\p{L}*|журналист\p{L}*|"
    r"сайт\p{L}*|портал\p{L}*|СМИ",
    aux=r"также|ранее|уже|сегодня|вчера|тогда|был|была|было|были|неоднократно|например|однако|тоже|вновь|снова|в понедельник|во вторник|в среду|в четверг|"
    r"в пятницу|в субботу|в воскресенье",
    impersonal=r"сообщается|говорят|как сообщается|по неофициальным данным|утверждается|стало известно",
    order="svo",
    relatives=r"который|которая|которое|которые",
    coordinators=r"и",
    prodrop=True,
)

UK = Lexicon(
    according=r"за словами|за даними|за інформацією|згідно з|як повідомляє|як повідомив|як повідомила|"
    r"як повідомили|як пише|як писав|як передає|з посиланням на|посилаючись на|на думку|як заявив|"
    r"як заявила|цитує|як стало відомо",
    say=r"сказав|сказала|сказали|заявив|заявила|заявили|заявляє|зазначив|зазначила|зазначили|"
    r"наголосив|наголосила|додав|додала|додали|пояснив|пояснила|розповів|розповіла|розповіли|"
    r"написав|написала|пише|визнав|визнала|уточнив|"
    r"закликав|закликала|поділився|поділилася|нагадав|нагадала|прокоментував|прокоментувала|вважає|"
    r"підкреслив|підкреслила|попередив|попередила|оголосив|оголосила|говорить",
    report=r"повідомив|повідомила|повідомили|повідомляє|передає|опублікував|опублікувала|опубліковано|інформує",
    told=r"кореспонденту|журналістам|виданню|агентству|газеті|телеканалу|в інтерв['’]ю|в розмові з",
    interview=r"в інтерв['’]ю|у інтерв['’]ю|в розмові з|в ефірі",
    bylines=r"джерело|джерела|за матеріалами|переклад|via|оригінал",
    translations=r"переклад|переклала|переклав",
    anonymous=r"джерел\p{L}*|джерело|інсайдер\p{L}*|обізнан\p{L}*|свідк\p{L}*|очевид\p{L}*|мешкан\p{L}*|"
    r"жител\p{L}*|експерт\p{L}*|аналітик\p{L}*|спостерігач\p{L}*|дипломат\p{L}*|посадов\p{L}*|ЗМІ|"
    r"користувач\p{L}*|анонімн\p{L}*|співрозмовник\p{L}*",
    pronouns=r"він|вона|вони|воно|я|ми|ви|це|цьому|цього|що|хто|його|її|їх|який|яка|які|там",
    openers=r"що|щоб|коли|поки|бо|але|хоча|де|як|і|й|а|також|потім|раніше|про це|тоді",
    stops=r"що|в|у|на|про|при|після|до|під час|сьогодні|вчора|раніше|також|і|й|а|для|з|із|журналістам|"
    r"кореспонденту|виданню|агентству",
    documents=r"(?:у|в\s+)?(?:повідомленні|заяві|доповіді|статті|публікації|матеріалі|звіті)\s+",
    media=r"агентств\p{L}*|газет\p{L}*|видан\p{L}*|телеканал\p{L}*|радіо|кореспондент\p{L}*|журналіст\p{L}*|"
    r"сайт\p{L}*|ЗМІ",
    aux=r"також|раніше|вже|сьогодні|вчора|тоді|був|була|було|були",
    impersonal=r"повідомляється|кажуть|як повідомляється|стало відомо",
    relatives=r"який|яка|яке|які",
    coordinators=r"і|й|та",
    prodrop=True,
)

PL = Lexicon(
    according=r"według|zdaniem|jak podaje|jak podają|jak podał|jak podała|jak podało|jak poinformował|"
    r"jak poinformowała|jak poinformowało|jak informuje|jak pisze|jak napisał|jak stwierdził|"
    r"jak twierdzi|powołując się na|cytowany przez|cytowana przez|na podstawie danych|w opinii|"
    r"jak przekazał|jak przekazała|jak relacjonuje|zgodnie z informacjami",
    say=r"powiedział|powiedziała|powiedzieli|mówi|mówią|mówił|mówiła|stwierdził|stwierdziła|"
    r"stwierdzili|oświadczył|oświadczyła|zapowiedział|zapowiedziała|dodał|dodała|dodali|wyjaśnił|"
    r"wyjaśniła|wyjaśnia|wyjaśniła|podkreślił|podkreśliła|zaznaczył|zaznaczyła|przekazał|przekazała|"
    r"poinformował|poinformowała|poinformowało|poinformowali|poinformowały|napisał|napisała|pisze|"
    r"ocenił|oceniła|ocenili|przyznał|przyznała|zapewnił|zapewniła|przestrzegał|przestrzegała|"
    r"ostrzegł|ostrzegła|komentuje|skomentował|twierdzi|twierdzą|zaleca|apeluje|uważa|"
    r"przypomniał|przypomniała|oznajmił|zapowiada|podała|podał|podało",
    report=r"podaje|podają|informuje|informują|opublikował|opublikowała|opublikowało|donosi|donoszą|relacjonuje",
    told=r"dla|w rozmowie z|w wywiadzie dla|w wywiadzie z",
    interview=r"w rozmowie z|w wywiadzie dla|w wywiadzie z|rozmową z|rozmowie z",
    bylines=r"źródło|źródła|via|tłumaczenie|przekład|oryginał",
    translations=r"tłumaczenie|przekład|przetłumaczył|przetłumaczyła",
    anonymous=r"źród\p{L}*|informator\p{L}*|świadk\p{L}*|świadkowie|mieszkańc\p{L}*|eksper\p{L}*|"
    r"analityc\p{L}*|analityk\p{L}*|obserwator\p{L}*|dyplomac\p{L}*|dyplomat\p{L}*|urzędnic\p{L}*|"
    r"naukowc\p{L}*|lekarze|media|internauci|użytkownic\p{L}*|anonimow\p{L}*|nieoficjalnie",
    pronouns=r"on|ona|oni|one|ono|ja|my|wy|to|tego|co|kto|który|która|którzy|jego|jej|ich|go|się",
    openers=r"że|żeby|gdy|kiedy|bo|ale|choć|chociaż|gdzie|jak|i|a|oraz|także|również|potem|wcześniej|"
    r"tymczasem|z kolei",
    stops=r"że|w|we|na|o|przy|po|przed|podczas|dziś|dzisiaj|wczoraj|także|również|i|a|dla|z|ze|do|jak|"
    r"rozmowie|wywiadzie",
    documents=r"(?:w\s+)?(?:komunikacie|oświadczeniu|raporcie|artykule|publikacji|materiale)\s+",
    media=r"agencj\p{L}*|gazet\p{L}*|dziennik\p{L}*|telewizj\p{L}*|radi\p{L}*|korespondent\p{L}*|"
    r"dziennikar\p{L}*|portal\p{L}*|serwis\p{L}*|service|news|tygodnik\p{L}*",
    aux=r"także|również|wcześniej|już|dziś|wczoraj|był|była|było|byli|na|w|we|podczas|nie",
    # "słychać" is hearsay only as "słychać, że ..." (word is that); "dźwięk słychać" is a sound being heard.
    impersonal=r"podobno|nieoficjalnie|mówi się|słychać(?=,?\s+że\b)",
    relatives=r"który|która|które|którzy",
    coordinators=r"i|oraz",
    prodrop=True,
)

TR = Lexicon(
    # "... söyleyen sosyal medya kullanıcıları": a participle of saying, its speaker follows.
    according=r"(?:tarafından )?yapılan açıklamaya göre|söyleyen|belirten|ifade eden|iddia eden|öne süren",
    say=r"dedi|söyledi|açıkladı|belirtti|bildirdi|vurguladı|kaydetti|ifade etti|ifadesini kullandı|"
    r"ifadelerini kullandı|aktardı|dile getirdi|duyurdu|iddia etti|savundu|uyardı|yazdı|paylaştı|"
    r"değerlendirdi|anlattı|hatırlattı|açıklama yaptı|açıklama yayınlamak zorunda kaldı|açıklama yayınladı",
    report=r"haberine göre|duyurdu|yayımladı|yayınladı",
    told=r"gazetecilere|muhabirine|ajansına",
    interview=r"(?:\p{L}+)?['’]?(?:a|e|ya|ye) verdiği (?:röportajda|demeçte|mülakatta)",
    bylines=r"kaynak|kaynaklar|çeviri|tercüme|via",
    translations=r"çeviri|tercüme|çeviren",
    anonymous=r"kaynak\p{L}*|kaynaklar\p{L}*|uzman\p{L}*|tanık\p{L}*|görgü tanık\p{L}*|sakin\p{L}*|"
    r"analist\p{L}*|gözlemci\p{L}*|diplomat\p{L}*|yetkililer\p{L}*|kullanıcılar\p{L}*|medya|isim vermek istemeyen",
    pronouns=r"o|onlar|ben|biz|siz|bu|şu|bunu|bunlar",
    openers=r"ve|ama|fakat|ancak|çünkü|ki|da|de|ayrıca|bu arada|öte yandan|diğer yandan|öte taraftan",
    stops=r"ve|ile|da|de|için|bugün|dün",
    documents=r"(?:yaptığı|yapılan)\s+(?:açıklamada|açıklamaya)",
    media=r"ajans\p{L}*|gazete\p{L}*|kanal\p{L}*|televizyon\p{L}*|muhabir\p{L}*|radyo\p{L}*",
    postpositions=r"(?:['’](?:a|e|ya|ye|na|ne))?\s+göre|\s+(?:açıklamasına|açıklamalarına|verdiği bilgiye|haberine|"
    r"verilerine|raporuna|tahminine|iddiasına)\s+göre",
    impersonal=r"bildirildi|ifade ediliyor|belirtiliyor|iddia edilen|iddia edildi|öne sürüldü|kaydedildi|açıklandı",
    order="sov",
    prodrop=True,
)

AR = Lexicon(
    according=r"وفقا|وفقاً|بحسب|وبحسب|حسب|وحسب|نقلا عن|نقلاً عن|نقلت عن|نقل عن|ذكرت|وذكرت|"
    r"أفادت|وأفادت|أفاد|وأفاد|بناء على ما أعلنه|بناء على ما أعلنته|كما ذكرت|كما ذكر|على حد قول|بحسبة",
    say=r"قال|وقال|قالت|وقالت|قالوا|وقالوا|أكد|وأكد|أكدت|وأكدت|أضاف|وأضاف|أضافت|وأضافت|أوضح|وأوضح|أوضحت|"
    r"وأوضحت|أشار|وأشار|أشارت|وأشارت|صرح|وصرح|صرحت|وصرحت|كتب|وكتب|كتبت|وكتبت|اعتبر|واعتبر|يقول|ويقول|"
    r"تقول|وتقول|خاطب|وخاطب|وجه|ووجه|يؤكد|ويؤكد|استنكر|واستنكر|شدد|وشدد|لفت|ولفت|نفى|ونفى|"
    r"حذر|وحذر|زعم|وزعم|رد|ليرد|ويرد",
    report=r"أعلن|وأعلن|أعلنت|وأعلنت|يعلن|تعلن|نشر|ونشر|نشرت|ونشرت|أفادت|ذكرت|كشف|وكشف|كشفت|وكشفت",
    told=r"ل|لـ|في تصريح ل|في تصريحات ل|في حديث ل|في مقابلة مع",
    interview=r"في مقابلة مع|في حديث مع|في تصريح لـ|في تصريحات لـ|في حوار مع",
    bylines=r"المصدر|مصدر|ترجمة|نقلا عن|عبر",
    translations=r"ترجمة|ترجمه|نقله إلى العربية",
    anonymous=r"\p{Arabic}*مصدر\p{Arabic}*|\p{Arabic}*مصادر\p{Arabic}*|شهود|\p{Arabic}*خبراء|محللون|مراقبون|"
    r"دبلوماسيون|مسؤولون|رواد|البعض|أحد المتابعين|المتابعين|مستخدمو|مستخدمي|ناشطون|سكان|\p{Arabic}*مطلع\p{Arabic}*|"
    r"رفض الكشف عن اسمه|طلب عدم الكشف",
    pronouns=r"هو|هي|هم|إنه|إنها|أنه|أنها|ذلك|هذا|هذه",
    openers=r"أن|إن|ان|و|ف|ثم|بينما|حيث|كما|لكن|الذي|التي",
    stops=r"إن|أن|ان|إنه|أنه|في|خلال|يوم|اليوم|أمس|على|مع|عن|إلى|لـ|بأن|قائلا|قائلة|مؤكدا|مؤكدة|موضحا|"
    r"للدبلوماسيين|للصحفيين",
    documents=r"(?:موقع|تقرير|بيان|صحيفة|وكالة|قناة)\s+",
    media=r"وكالة|صحيفة|قناة|موقع|تلفزيون|إذاعة|مراسل|بوابة",
    aux=r"قد|كان|وكان|كانت|أمس|اليوم",
    impersonal=r"يقال|قيل|أفيد|تردد",
    order="vso",
    relatives=r"الذي|التي|الذين",
    prodrop=True,
)

ID = Lexicon(
    according=r"menurut|berdasarkan keterangan|berdasarkan laporan|seperti dilaporkan|seperti dikutip dari|"
    r"dikutip dari|mengutip|seperti diberitakan|sebagaimana dilaporkan",
    say=r"kata|ujar|tutur|ungkap|tambah|mengatakan|menyatakan|menjelaskan|menegaskan|mengungkapkan|menambahkan|menyebutkan|menyebut|"
    r"mengklaim|membantah|menulis|memperingatkan|mengakui|berkata|bilang|menuturkan|mengaku",
    report=r"melaporkan|memberitakan|mengumumkan|merilis|menerbitkan|mempublikasikan",
    told=r"kepada|dengan",
    interview=r"(?:yang )?berbicara (?:dengan|kepada)|dalam wawancara dengan|kepada wartawan|saat diwawancarai",
    bylines=r"sumber|via|terjemahan|diterjemahkan dari",
    translations=r"terjemahan|diterjemahkan dari|diterjemahkan oleh|penerjemah",
    anonymous=r"sumber|narasumber|orang dalam|saksi|warga|pakar|ahli|analis|pengamat|diplomat|pejabat|"
    r"media|pengguna|warganet|netizen|yang enggan disebut namanya|yang tidak mau disebut namanya",
    pronouns=r"dia|ia|mereka|saya|kami|kita|anda|ini|itu|yang|beliau|nya",
    openers=r"bahwa|yang|ketika|saat|sementara|karena|tetapi|namun|meskipun|di mana|dan|atau|juga|kemudian",
    stops=r"bahwa|di|pada|saat|ketika|dalam|kepada|dengan|untuk|hari|kemarin|dan|yang",
    documents=r"(?:laporan|pernyataan|keterangan|rilis|artikel|siaran pers)\s+",
    media=r"kantor berita|harian|koran|surat kabar|stasiun|televisi|radio|wartawan|reporter|media|news",
    aux=r"juga|telah|sudah|pernah|akan|sebelumnya|kemudian",
    impersonal=r"kabarnya|dikabarkan|konon|disebut-sebut",
    relatives=r"yang",
    coordinators=r"dan",
    demonstratives=r"itu|ini|tersebut",
    prodrop=True,
)

IS = Lexicon(
    according=r"samkvæmt|að sögn|segir í|kemur fram í|haft er eftir|hefur eftir",
    say=r"segir|sagði|segja|sögðu|kveðst|kvaðst|segist|sagðist|bætir við|bætti við|útskýrir|útskýrði|"
    r"tilkynnti|greindi frá|skrifar|skrifaði|staðfesti|varaði við",
    report=r"greinir frá|greindi frá|tilkynnti|birti",
    told=r"við|í samtali við",
    interview=r"í samtali við|í viðtali við",
    bylines=r"heimild|heimildir|þýðing",
    translations=r"þýðing|þýddi",
    anonymous=r"heimild\p{L}*|heimildarm\p{L}*|vitni|íbúar|sérfræðing\p{L}*|áhorfandi|kona|maður|"
    r"nafnlaus\p{L}*",
    pronouns=r"hann|hún|þau|þeir|þær|það|ég|við|þið|þetta|sem",
    openers=r"að|sem|þegar|meðan|því|en|og|eða|þá",
    stops=r"að|í|á|við|um|með|og|en|sem|frá|til|fyrir",
    documents=r"(?:tilkynningu|yfirlýsingu|skýrslu|frétt)\s+",
    media=r"fréttastof\p{L}*|blað\p{L}*|sjónvarp\p{L}*|útvarp\p{L}*|fjölmiðl\p{L}*",
    aux=r"hefur|hafði|var|er|einnig|þá",
    indefinite=r"nokkur|annar|önnur|ung|einn|ein",
    relatives=r"sem",
    coordinators=r"og",
)

LEXICONS: dict[str, Lexicon] = {
    "en": EN, "fr": FR, "de": DE, "es": ES, "it": IT, "pt": PT, "ru": RU, "uk": UK,
    "pl": PL, "tr": TR, "ar": AR, "id": ID, "ms": ID, "is": IS,
}
