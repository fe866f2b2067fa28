"""Common UK forenames, embedded so the identifier guard needs no download and no data file.

The guard only calls "Firstname Capitalised" a full name when the first word is a known forename:
that keeps ordinary capitalised prose ("Children's Services", "Northshire Council", "Police Scotland")
out of its way. The list is deliberately modest (a few hundred names across children's and adults'
generations, and the nations' commonest Welsh, Scottish, Irish and South Asian names). A name not
on it is a false negative the warning text and training have to cover; a bigger list would mostly add
rare names and more clashes with ordinary words.

Month and weekday names (May, June, April, August) are left out on purpose: the guard must not read
"in May Police attended" as a name.
"""

from __future__ import annotations

_GIRLS = """
Aaliyah Abigail Ada Aisha Alexandra Alice Alison Alys Amanda Amber Amelia Amira Amy Anaya Angela Ann
Anna Anne Aoife Arabella Aurora Ava Ayesha Ayla Barbara Beatrice Bella Bethan Bethany Caitlin Carly
Carol Carys Catherine Cerys Charlene Charlotte Chelsea Chloe Christine Ciara Claire Clara Clodagh
Courtney Daisy Danielle Darcy Dawn Deborah Delilah Demi Donna Dorothy Edith Eilidh Eleanor Eliza
Elizabeth Ella Ellie Elsie Emilia Emily Emma Erin Esme Eva Evelyn Evie Faith Fatima Ffion Fiona
Florence Freya Gemma Georgia Grace Gwen Hafsa Hallie Hannah Harper Harriet Hayley Hazel Heather Helen
Holly Hollie Hope Imogen Inaaya Iona Iris Isabella Isabelle Isla Ivy Jacqueline Jade Jane Janet
Jasmine Jean Jennifer Jessica Joan Joanne Jodie Julie Karen Katherine Kathryn Katie Kayla Kayleigh
Keira Kelly Kerry Khadija Kirsty Lacey Laura Lauren Layla Leah Leanne Lexi Lily Linda Lisa Lola
Louise Lowri Lucy Luna Mabel Madison Maeve Maisie Mali Margaret Margot Mary Maryam Matilda Maya Megan
Mia Michelle Mila Millie Mollie Molly Morag Myla Naomi Natalie Nancy Nevaeh Nia Niamh Nicola Olivia
Orla Paige Patricia Pauline Penelope Phoebe Poppy Priya Rachel Rebecca Rhiannon Robyn Roisin Rose
Rosie Ruby Safa Samantha Sana Sandra Sarah Scarlett Seren Sharon Shannon Shona Sienna Siobhan Skye
Sofia Sophia Sophie Stacey Summer Susan Tegan Thea Tia Tina Tracey Tracy Victoria Violet Wendy
Willow Zainab Zara Zoe
"""

_BOYS = """
Aarav Aaron Adam Adrian Ahmed Alan Albie Alex Alexander Alfie Ali Alistair Andrew Andy Angus Anthony
Archie Arjun Arlo Arthur Ashley Ayaan Barry Ben Benjamin Bilal Billy Blake Bobby Bradley Brandon Brian
Callum Calum Cameron Carl Carter Charlie Chris Christopher Cian Ciaran Cody Colin Connor Conor Craig
Dafydd Dale Dan Daniel Danny Darragh Darren Dave David Dean Declan Dennis Derek Dev Dominic Douglas
Dylan Edward Elijah Elliot Elliott Ellis Eoin Ethan Euan Ewan Ezra Felix Finlay Finley Francis
Fraser Freddie Frederick Gareth Gary Geoffrey George Gethin Gordon Graham Grant Gregory Hamish Hamza
Harrison Harry Harvey Hassan Henry Hugo Hussain Ian Ibrahim Idris Isaac Iwan Jack Jackson Jacob Jake
Jamie James Jason Jasper Jay Jayden Jenson Joe John Jon Jonathan Jordan Joseph Josh Joshua Jude Kai
Keith Kenneth Kevin Kian Kieran Krish Kyle Lee Leo Leon Lewis Liam Logan Louie Luca Lucas Luke Malcolm
Marcus Mark Martin Mason Matt Matthew Max Michael Mike Mohammad Mohammed Muhammad Murray Musa Nathan
Neil Nicholas Nick Niall Nigel Noah Oisin Oliver Omar Oscar Osian Owen Padraig Patrick Paul Pete
Peter Phil Philip Raymond Rayyan Reece Reggie Rhys Richard Riley Rob Robert Roger Rohan Roman Ronnie
Rory Ross Ruaridh Rupert Ryan Sam Samuel Scott Sean Sebastian Shaun Simon Sonny Stanley Stephen Steve
Steven Stuart Teddy Terry Theo Theodore Thomas Tim Timothy Toby Tom Tomos Tommy Tony Trevor Tristan
Tyler Vincent Wayne Will William Yusuf Zachary Zakariya Zayn
"""

FORENAMES: frozenset[str] = frozenset(_GIRLS.split()) | frozenset(_BOYS.split())
"""Forenames the guard recognises, in their usual capitalisation."""

WORDLIKE_FORENAMES: frozenset[str] = frozenset(
    """
    Amber Blake Carter Dawn Faith Grace Grant Hazel Heather Holly Hope Iris Ivy Jade Jay Lee Mark
    Mason Max Poppy Robyn Rose Ross Ruby Skye Summer Will Willow Dale Dean Harper Jack
    """.split()
)
"""Forenames that are also ordinary English words or place-name parts ("Will", "Grace", "Amber").

At the start of a sentence these are read as words, not names ("Will Police attend?", "Amber RAG
rating"); in the middle of a sentence they count as forenames again.
"""
