"""Stop words of both languages, as plain data.

English: Snowball's English stop list (the stemmer's own project) with the prepositions, conjunctions and
indefinite pronouns it lacks (among, despite, nobody), so that the two languages agree: Russian's are this list
and every word the OpenCorpora dictionary under pymorphy3 reads first as a preposition, conjunction or pronoun
(`search.analysis.morphology._closed_class`: против, среди, однако, никто).
Russian words are given as lemmas (pymorphy3 normal forms with ё folded to е); English words as written.
They stay in the index, so that phrases still match, but are left out of the bag-of-words part of a query and
count as "function words" when telling an article's prose from a page's navigation.
"""

RUSSIAN = frozenset(
    """
    а без более больше будто бы был быть в вам вас весь во вот впрочем все всегда всего вы где да даже
    для до другой его ее ей ему если есть еще же за зачем здесь и из или им иногда их к как какой
    когда конечно который кто куда ли лучше между меня мне много может можно мой моя мы на над надо
    наконец наш не него нее нельзя нет ни нибудь никогда ним них ничто но ну о об один он она они оно
    опять от перед по под после потом потому почти при про раз разве с сам свой себя сейчас со совсем
    так такой там тебя тем теперь то тогда того тоже только том тот три тут ты у уж уже хорошо хоть
    чего чей чем через что чтобы чуть эти этого этой этом этот эту я это свое своя этот весь ведь
    также либо пока ибо будто словно именно лишь сегодня вчера
    """.split()
)

ENGLISH = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also said says may might must shall upon us
    among amid amidst across along around behind beside besides beyond despite except near onto per since
    throughout toward towards unlike via within without although though unless whether either neither
    each every nobody nothing anyone anything everyone everything someone something
    """.split()
)
