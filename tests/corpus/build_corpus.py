"""Writes tests/corpus/detectors.json: the labelled synthetic corpus (all data invented).

Kept as a script so the corpus is easy to read and extend; the JSON is what tests read.
Each case: text, lang, expected findings [{type, text}] as a human would label them.
Hard negatives (expected = []) sit beside the positives of each detector.
"""

import json
from pathlib import Path

E = lambda t, s: {"type": t, "text": s}  # noqa: E731

PEOPLE = [["Marie", "Dupont"], ["Élodie", "Martin-Petit"], ["Will", "Smith"], ["Rose", "Garden"],
          ["Pierre", "Lefèvre"], ["Grace", "Hopper-Lee"], ["Camille", "Nguyen"], ["Thomas", "Müller"],
          ["Sophie", "Bernard"], ["Karim", "Benali"], ["Olivia", "Thompson"], ["Hugo", "Rossi"]]
MEMBER = ["Jean", "Durand"]
WATCHLIST = [
    {"name": "Acme Corporation", "aliases": ["Acme", "ACME Corp"], "threshold": 90, "label": "[client]"},
    {"name": "Phoenix", "aliases": ["Projet Phoenix"], "threshold": 85, "label": "[project]"},
    {"name": "Globex", "aliases": [], "threshold": 100, "label": "[employer]"},
]

CASES = [
    # ---- email
    ("en", "Send your CV to jane.doe@example.com before Friday.", [E("email", "jane.doe@example.com")]),
    ("fr", "Écrivez-moi à contact+rh@societe-exemple.fr pour postuler.", [E("email", "contact+rh@societe-exemple.fr")]),
    ("en", "Ping @marie on the thread, or use the #hiring tag.", []),
    ("fr", "Rendez-vous @ 10h au bureau, merci à tous.", []),
    # ---- phone
    ("fr", "Appelez-moi au 06 12 34 56 78 après 18h.", [E("phone", "06 12 34 56 78")]),
    ("en", "Our London desk: +44 20 7946 0958.", [E("phone", "+44 20 7946 0958")]),
    ("en", "Call the US office at (415) 555-0132 tomorrow.", [E("phone", "(415) 555-0132")]),
    ("fr", "Standard : +33 1 42 68 53 00, poste 12.", [E("phone", "+33 1 42 68 53 00")]),
    ("en", "We grew from 12,500 to 1,250,000 users between 2019 and 2024.", []),
    ("fr", "Version 10.2.3 publiée le 12/03/2024, ticket 48213.", []),
    ("en", "Order reference 2024-000-1234 shipped in 3 boxes.", []),
    ("en", "Train QQ 12 34 56 C is not a National Insurance number (QQ prefix is never issued).", []),
    # ---- address
    ("en", "Come to our new office at 221B Baker Street on Monday.", [E("address", "221B Baker Street")]),
    ("fr", "Nos bureaux sont au 12 rue de la Paix, 75002 Paris.", [E("address", "12 rue de la Paix, 75002 Paris")]),
    ("fr", "Je déménage au 5 bis avenue Victor Hugo la semaine prochaine.", [E("address", "5 bis avenue Victor Hugo")]),
    ("en", "Drop the parcel at 10 Downing Street please.", [E("address", "10 Downing Street")]),
    ("en", "Top 10 Street Food spots in Lyon, ranked.", []),
    ("fr", "Il reste 3 places pour la formation, la rue est fermée.", []),
    ("fr", "J'ai suivi 10 cours de Python et 2 ateliers.", []),
    # ---- birth date
    ("fr", "Je suis née le 3 mai 1990 à Lyon.", [E("birth-date", "3 mai 1990")]),
    ("en", "Fun fact: I was born on March 12, 1985 in Leeds.", [E("birth-date", "March 12, 1985")]),
    ("en", "Form field DOB: 12/03/1985 (please keep it private).", [E("birth-date", "12/03/1985")]),
    ("fr", "Date de naissance : 14/07/1992.", [E("birth-date", "14/07/1992")]),
    ("en", "Our product was launched on 12 March 2024 in Paris.", []),
    ("fr", "La réunion est prévue le 3 mai 2025 à 10h.", []),
    ("en", "This idea was born out of frustration in 2019.", []),
    # ---- iban
    ("fr", "Virement sur FR76 3000 6000 0112 3456 7890 189 merci.", [E("iban", "FR76 3000 6000 0112 3456 7890 189")]),
    ("en", "Pay into GB29 NWBK 6016 1331 9268 19 by Friday.", [E("iban", "GB29 NWBK 6016 1331 9268 19")]),
    ("en", "Reference DE89370400440532013000 for the refund.", [E("iban", "DE89370400440532013000")]),
    ("fr", "Code FR76 3000 6000 0112 3456 7890 188 (faux, clé invalide).", []),
    ("en", "Serial number AB12 3456 7890 1234 on the device label.", []),
    # ---- national id
    ("fr", "Mon numéro de sécu : 1 85 05 78 006 084 91.", [E("national-id", "1 85 05 78 006 084 91")]),
    ("fr", "NIR 2 69 02 99 350 123 36 à transmettre aux RH.", [E("national-id", "2 69 02 99 350 123 36")]),
    ("en", "My NI number is AB 12 34 56 C, do not share.", [E("national-id", "AB 12 34 56 C"), E("confidential", "do not share")]),
    ("en", "His SSN is 123-45-6789 according to the form.", [E("national-id", "123-45-6789")]),
    ("fr", "Numéro 1 85 05 78 006 084 92 avec une clé fausse.", []),
    ("en", "Call extension 123-45-6789 of the hotline.", []),
    # ---- private url
    ("en", "Draft here: https://docs.google.com/document/d/1AbCdEfGhIjK/edit please comment.", [E("private-url", "https://docs.google.com/document/d/1AbCdEfGhIjK/edit")]),
    ("fr", "Les fichiers sont sur https://www.dropbox.com/s/abc123/bilan.pdf?dl=0 jusqu'à lundi.", [E("private-url", "https://www.dropbox.com/s/abc123/bilan.pdf?dl=0")]),
    ("en", "Deck: https://acme-my.sharepoint.com/personal/jdoe/Documents/deck.pptx", [E("private-url", "https://acme-my.sharepoint.com/personal/jdoe/Documents/deck.pptx")]),
    ("fr", "Téléchargez via https://we.tl/t-AbC123 avant vendredi.", [E("private-url", "https://we.tl/t-AbC123")]),
    ("en", "Read our blog at https://example.com/blog/hiring-2024 and share it.", []),
    ("fr", "Tout est expliqué sur https://www.google.com/search?q=docs en public.", []),
    # ---- person
    ("en", "Huge thanks to Marie Dupont for the review!", [E("person", "Marie Dupont")]),
    ("fr", "Bravo à Élodie Martin-Petit pour sa promotion.", [E("person", "Élodie Martin-Petit")]),
    ("fr", "Merci à elodie martin-petit et à DUPONT Marie.", [E("person", "DUPONT Marie")]),
    ("en", "Lunch with Camille Nguyen and Thomas Muller today.", [E("person", "Camille Nguyen"), E("person", "Thomas Muller")]),
    ("en", "Great talk by Sophie Bernnard at the meetup.", [E("person", "Sophie Bernnard")]),
    ("fr", "Réunion avec Karim Benali et Hugo Rossi demain.", [E("person", "Karim Benali"), E("person", "Hugo Rossi")]),
    ("en", "Will Smith joined the panel on hiring.", [E("person", "Will Smith")]),
    ("en", "I will smith the details later, promise.", []),
    ("en", "Our rose garden won a prize this spring.", []),
    ("fr", "Pierre a fini le projet, et la pierre angulaire est posée.", []),
    ("en", "Grace under pressure is a skill; Marie is on holiday.", []),
    ("fr", "Jean Durand vous remercie tous pour vos messages.", []),
    ("en", "Olivia and Thompson are two of our product lines.", []),
    ("en", "A thank you to Dupont Industries and Marie, the cat.", []),
    # ---- salary
    ("fr", "Poste proposé : salaire de 45 k€ brut annuel.", [E("salary", "45 k€")]),
    ("en", "They offered a base salary of $120,000 plus bonus.", [E("salary", "$120,000")]),
    ("en", "Expected CTC: 18 LPA, notice period 60 days.", [E("salary", "18 LPA")]),
    ("fr", "Mon TJM est de 600 €/jour en freelance.", [E("salary", "600 €/jour")]),
    ("en", "My package went up to €45k after the review.", [E("salary", "€45k")]),
    ("fr", "Rémunération : 52 000 € brut, tickets restaurant.", [E("salary", "52 000 €")]),
    ("fr", "Installez le package npm et lancez la version 2.", []),
    ("en", "The package has 2 million downloads a week.", []),
    ("en", "Salary negotiation is a skill everyone should learn.", []),
    # ---- money
    ("en", "We closed a deal worth $2.5M with a retailer.", [E("money", "$2.5M")]),
    ("fr", "Notre chiffre d'affaires atteint 3 millions d'euros cette année.", [E("money", "3 millions d'euros")]),
    ("en", "Our ARR reached €800k this quarter.", [E("money", "€800k")]),
    ("fr", "Budget du projet : 150 000 € sur deux ans.", [E("money", "150 000 €")]),
    ("en", "Coffee was €3 and the view was free.", []),
    ("fr", "Nous avons 2 millions d'utilisateurs actifs.", []),
    # ---- confidential
    ("en", "This roadmap is confidential, please do not share outside the team.", [E("confidential", "confidential"), E("confidential", "do not share")]),
    ("fr", "Document à usage interne, ne pas diffuser.", [E("confidential", "usage interne"), E("confidential", "ne pas diffuser")]),
    ("en", "We are working under NDA on the new platform.", [E("confidential", "under NDA")]),
    ("fr", "Le projet « Orion » démarre en septembre.", [E("confidential", "Orion")]),
    ("en", "Codename Falcon ships next spring.", [E("confidential", "Falcon")]),
    ("en", "Results are under embargo until Tuesday.", [E("confidential", "under embargo")]),
    ("en", "I am a Project Manager with ten years in logistics.", []),
    ("fr", "Je cherche un chef de projet pour une mission à Lyon.", []),
    ("en", "Confidence is built one step at a time.", []),
    ("en", "Download our free NDA template from the website.", []),
    # ---- special categories
    ("en", "Last year I was diagnosed with cancer and took sick leave.", [E("special-category", "diagnosed with"), E("special-category", "cancer"), E("special-category", "sick leave")]),
    ("fr", "Je reviens d'un arrêt maladie pour burn-out.", [E("special-category", "arrêt maladie"), E("special-category", "burn-out")]),
    ("en", "As a practising Muslim I fast during Ramadan.", [E("special-category", "Muslim"), E("special-category", "Ramadan")]),
    ("fr", "Je suis délégué syndical CGT depuis 2015.", [E("special-category", "délégué syndical"), E("special-category", "CGT")]),
    ("en", "Proud to be gay and part of the LGBTQ+ network here.", [E("special-category", "gay"), E("special-category", "LGBTQ+")]),
    ("fr", "J'ai voté pour la première fois à 18 ans.", [E("special-category", "j'ai voté")]),
    ("en", "I joined the trade union last spring.", [E("special-category", "trade union")]),
    ("de", "Ich bin seit Jahren in der Gewerkschaft aktiv.", [E("special-category", "Gewerkschaft")]),
    ("es", "Estoy de baja médica desde enero.", [E("special-category", "baja médica")]),
    ("it", "Sono iscritto al sindacato da anni.", [E("special-category", "sindacato")]),
    ("nl", "Ik ben lid van de vakbond.", [E("special-category", "vakbond")]),
    ("en", "The European Union published new AI rules today.", []),
    ("fr", "L'Union européenne finance ce programme.", []),
    ("fr", "Ils vivent en union de fait depuis dix ans.", []),
    ("en", "Take the union of sets A and B.", []),
    ("en", "Christian Martin presented the quarterly results.", []),
    ("en", "A conservative estimate of the market is ten units.", []),
    ("en", "Economists compare it to the Great Depression.", []),
    ("fr", "Une dépression tropicale approche des côtes.", []),
    ("en", "We met at Union Square for coffee.", []),
    # ---- watch-list
    ("en", "Another quarter helping Acme Corporation grow.", [E("watch-list", "Acme Corporation")]),
    ("fr", "Mission terminée chez ACME, merci à tous.", [E("watch-list", "ACME")]),
    ("fr", "Le Projet Phoenix avance bien.", [E("watch-list", "Projet Phoenix")]),
    ("en", "The Pheonix launch slipped a week.", [E("watch-list", "Pheonix")]),
    ("en", "Five years at Globex, what a ride.", [E("watch-list", "Globex")]),
    ("en", "Acne treatments are not our business.", []),
    ("en", "Glob ex-colleagues reunion is on Friday.", []),
    ("en", "Globax is a different company entirely.", []),
    # ---- added after the detectors were written (not tuned to them)
    ("en", "I was born in Lyon on 3 May 1990.", [E("birth-date", "3 May 1990")]),
    # periods are not phone numbers (found on the sample résumé: "(2020-2024" was taken as German)
    ("fr", "Expérience : Exemple Conseil (2020-2024), puis Exemple SA de 2024-2026.", []),
    ("en", "Worked there (1998 - 2003) and again 2019/20.", []),
    ("en", "Happy to share I'm pregnant with our second child!", [E("special-category", "pregnant")]),
    ("fr", "Tél. 01 23 45 67 89, du lundi au vendredi.", [E("phone", "01 23 45 67 89")]),
    ("en", "Spoke with Mr. Benali about Karim's new role.", []),
    ("en", "Met Camile Nguyen at the fair.", [E("person", "Camile Nguyen")]),
    ("fr", "Le budget marketing a doublé.", []),
    ("en", "Union members voted to strike on Monday.", [E("special-category", "Union")]),
    ("en", "Version 2 of the union type in TypeScript is neat.", []),
    ("fr", "Il est militant écologiste depuis 20 ans.", [E("special-category", "militant")]),
    ("fr", "Salaire : 3 200 € net par mois.", [E("salary", "3 200 €")]),
    ("en", "Revenue grew 40% year over year.", []),
    ("en", "We raised a $10M Series A.", [E("money", "$10M")]),
    ("en", "Our 2 euro coffee machine broke.", []),
    ("en", "Christian values guide how I lead.", [E("special-category", "Christian")]),
    ("fr", "Merci Pierre Lefevre pour ton aide précieuse.", [E("person", "Pierre Lefevre")]),
    ("en", "Shout-out to Grace Hopper-Lee and the whole team.", [E("person", "Grace Hopper-Lee")]),
    ("en", "The grace period ends in May; rose by 5% in June.", []),
    ("fr", "Rendez-vous au 8 boulevard Haussmann à 9h.", [E("address", "8 boulevard Haussmann")]),
    ("en", "I live at 42 Elm Road, and I love it.", [E("address", "42 Elm Road")]),
    ("fr", "Partagé sur https://drive.google.com/file/d/1xYz/view avec l'équipe.", [E("private-url", "https://drive.google.com/file/d/1xYz/view")]),
    # ---- mixed
    ("fr", "Contactez Marie Dupont au 06 12 34 56 78 ou marie.dupont@exemple.fr.",
     [E("person", "Marie Dupont"), E("phone", "06 12 34 56 78"), E("email", "marie.dupont@exemple.fr")]),
    ("en", "Nothing special today, just a walk by the river.", []),
    ("fr", "Belle journée de conférence à Nantes, merci aux organisateurs.", []),
]

data = {"people": PEOPLE, "member": MEMBER, "watchlist": WATCHLIST,
        "cases": [{"lang": lang, "text": text, "expected": exp} for lang, text, exp in CASES]}
Path(__file__).with_name("detectors.json").write_text(
    json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
