"""Forenames and surnames the identifier guard knows, embedded so it needs no download.

These lists are not how the guard finds most names: a pair of capitalised words that are neither
English nor safeguarding vocabulary is a name whatever its origin (see bot/privacy/lexicon.py).
The lists cover the names that *are* also common English words or frequent enough in the English
dictionary to look like one ("Jane Smith", "Grace Brown", "Mohammed Ali"): a known forename followed
by a capitalised word, or a capitalised unknown word followed by a known surname, is a name too.
They span the commonest names given in the UK across generations and origins (English, Welsh,
Scottish, Irish, South Asian, West and East African, Caribbean, Eastern European, Arabic, Chinese,
Vietnamese, Turkish and Kurdish communities).

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

_MORE = """
Abdi Abdirahman Abdullah Abdul Abena Abimbola Adaeze Adama Adebayo Adeola Aditi Aditya Afua Agnieszka
Ahmad Aisha Akua Aleksander Aleksandra Alexei Amal Amara Amina Aminata Amir Anastasia Andrei Andreea
Aneta Anil Anjali Ankit Anton Arif Asif Aryan Asha Ashok Ayodele Ayodeji Aziz Bartosz Bashir Bilal
Blessing Bogdan Busisiwe Catalin Chanel Chantelle Chen Chidi Chidinma Chinedu Chioma Chipo Chukwuemeka
Cristian Dalia Damian Daniela Dariusz Darnell Dawit Deepak Demetrius Dimitri Divya Dmitri Dorota Ebere
Ebony Efua Ejike Elena Elif Emeka Emre Esra Fadumo Faisal Farah Farhan Farhana Fatou Femi Funmilayo
Gabriela Gift Gulnara Habib Hadiza Halima Hana Hao Haruto Hassan Hawa Hiba Hussein Ifeoma Ikechukwu
Imran Ioana Iqbal Irina Ismail Ivan Jakub Jamal Jamila Jana Javed Jerome Jia Joanna Juan Jun Kacper
Kamal Karolina Karthik Kasia Katarzyna Kayode Kelechi Kemi Kenji Khalid Kirsten Kofi Kwabena Kwadwo
Kwame Kwasi Lakshmi Latoya Leila Lwazi Magdalena Mahmoud Malik Maria Mariam Marek Marta Marcin Mateusz
Mehmet Mei Mihai Mina Ming Mohamed Mohamud Mustafa Nadia Naledi Nasra Nasrin Natalia Nikola Nikolai
Nirmala Nkechi Nnamdi Nuala Obinna Ola Olamide Olena Oleksandr Oluwadamilola Oluwaseun Oluwatobi Omari
Osagie Pawel Pradeep Precious Rahim Rahul Raj Rajesh Rashid Reza Ricardo Rukhsana Sadia Saima Salma
Samira Sanjay Sapna Sergei Shabnam Shanice Shauna Shazia Simona Sipho Sunil Svetlana Tariq Tatiana
Themba Tomasz Tunde Ugochi Usman Valentina Vikram Viktor Wei Wojciech Xin Yaw Yasmin Yetunde Yiannis
Yousef Yusra Zanele Zeynep Zofia Zsofia Zuzanna Shamima Shirin Sinead Bernadette Gwendolyn Siobhan
Kerry-Ann Jean-Baptiste Tyrone Delroy Winston Marlon Leroy Shaniqua Keisha Tanisha Aaliyah Deshawn
Marcia Beverley Lorraine Denise Tracey-Ann Jermaine Kareem Rashad Jamal Alisha Amir Ravi Gurpreet
Harpreet Manpreet Jaspreet Navdeep Sukhwinder Parminder Rupinder Baljit Kulwinder
Giuseppe Giovanni Marco Luca Matteo Francesca Alessandro Alessandra Antonio Lorenzo Paolo Pietro
Giulia Chiara Federica Salvatore Vincenzo Carlos Miguel Jose Josefa Pablo Diego Lucia Pedro Manuel
Rafael Javier Alejandro Alejandra Carmen Pilar Rosario Joao Goncalo Tiago Ines Beatriz Hans Jurgen
Klaus Dieter Stefan Wolfgang Heinz Ursula Helga Pierre Jacques Francois Francoise Amelie Camille
Thierry Sven Lars Olaf Ingrid Anders Astrid Bjorn Nils Piotr Krzysztof Andrzej Stanislaw Janusz
Tadeusz Grzegorz Malgorzata Vasile Gheorghe Constantin Florin Dmitry Yuri Boris Natasha Olga Igor
Vladimir Ludmila Oksana Kemal Murat Burak Ayse Fatma Emine Kwaku Kojo Yaa Ama Esi Chiamaka Uche
Amaka Thabo Mandla Sibusiso Nomvula Minh Anh Duc Quang Linh Hoa Lan Tuan Huong Thanh
Maureen Doreen Sheila Brenda Kathleen Eileen Irene Marion Valerie Janice Gillian Elaine Lesley Julia
Jacqui Jackie Debbie Debra Diane Denise Beverley Andrea Alison Tracy Kim Joanne Lorraine Yvonne Ruth
Shirley Sylvia Hilda Edna Gladys Mavis Norma Audrey Joyce Jean Kerry-Marie Kelly-Marie Dwayne Shane
Wayne Darren Dean Lee Carl Stuart Gavin Glenn Clive Keith Derek Trevor Neville Roy Ron Ronald Ken Stan
Les Alf Ernie Sid Bert Brandon Kayden Kaiden Jayden Braiden Tyler Reece Rhys Tia Kai
"""

_SURNAMES = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
Walker White Edwards Hughes Green Hall Lewis Harris Clarke Clark Patel Jackson Wood Turner Martin
Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson
Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell
Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson
Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes
Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham
Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox
Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien
Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett
Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins
Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke
Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren
Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman
Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon
Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles
Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan
Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham
Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes
Tucker Davidson Fowler Heath Norman Middleton Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward
Carroll Douglas Hussein Islam Rahman Uddin Miah Mahmood Iqbal Hassan Mohammed Mohamed Ahmad Chowdhury
Malik Akhtar Rashid Sharma Kumar Gupta Mistry Parmar Chauhan Joshi Mehta Desai Nowak Kowalski
Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Mazur Popescu
Ionescu Popa Ivanov Ivanova Petrov Smirnov Nguyen Tran Pham Chen Wang Li Zhang Liu Yang Huang Wu
Zhou Lin Okafor Okonkwo Adeyemi Adebayo Mensah Osei Asante Boateng Owusu Nwosu Eze Obi Yilmaz Kaya
Demir Celik Sahin Ozturk Mohamud Abdi Warsame Farah Osman Haddad Khalil Ibrahim Abdullah Tanaka
Kim Park Silva Santos Ferreira Pereira Costa Rodrigues Almeida Fernandes Garcia Martinez Rodriguez
Lopez Gonzalez Rossi Russo Ferrari Esposito Romano Murphy Kelly Byrne Doherty O'Sullivan McLaughlin
Campbell-Baptiste Whyte Joseph Baptiste Pryce Delaney Mackintosh Watanabe
"""

FORENAMES: frozenset[str] = frozenset(_GIRLS.split()) | frozenset(_BOYS.split()) | frozenset(_MORE.split())
"""Forenames the guard recognises, in their usual capitalisation."""

WORDLIKE_FORENAMES: frozenset[str] = frozenset(
    """
    Amber Blake Carter Dawn Faith Grace Grant Hazel Heather Holly Hope Iris Ivy Jade Jay Lee Mark
    Mason Max Poppy Robyn Rose Ross Ruby Skye Summer Will Willow Dale Dean Harper Jack
    Blessing Gift Precious Chanel Hope Faith Joy Mercy Patience Jean Ray Bill Guy Art Pat Sue Carol
    Norman Frank Victor Miles Chase Hunter Angel Bobby Harry Jay Penny Dawn April May June Summer
    Ebony Misty Sky Star Storm Rain Brook Marsh Wood Lane
    """.split()
) & (frozenset(_GIRLS.split()) | frozenset(_BOYS.split()) | frozenset(_MORE.split()))
"""Forenames that are also ordinary English words or place-name parts ("Will", "Grace", "Amber").

At the start of a sentence these are read as words, not names ("Will Police attend?", "Amber RAG
rating"); in the middle of a sentence they count as forenames again.
"""


SURNAMES: frozenset[str] = frozenset(_SURNAMES.split())
"""Common surnames in the UK, of many origins: as the second word of a pair they make it a name."""
