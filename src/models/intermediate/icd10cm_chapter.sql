-- description: ICD-10-CM chapters as first and last 3-character categories, to group principal diagnoses (the 22 chapters of the ICD-10-CM tabular list, FY2021, with U00-U85 for special purposes).
-- grain: diagnosis_chapter
-- column chapter_first: First 3-character category of the chapter
-- column chapter_last: Last 3-character category of the chapter
-- column diagnosis_chapter: Chapter range label, e.g. I00-I99
-- column diagnosis_chapter_description: Chapter title, shortened
SELECT * FROM (
  VALUES
    ('A00', 'B99', 'A00-B99', 'Infectious and parasitic diseases'),
    ('C00', 'D49', 'C00-D49', 'Neoplasms'),
    ('D50', 'D89', 'D50-D89', 'Blood and immune disorders'),
    ('E00', 'E89', 'E00-E89', 'Endocrine, nutritional and metabolic diseases'),
    ('F01', 'F99', 'F01-F99', 'Mental and behavioral disorders'),
    ('G00', 'G99', 'G00-G99', 'Nervous system'),
    ('H00', 'H59', 'H00-H59', 'Eye and adnexa'),
    ('H60', 'H95', 'H60-H95', 'Ear and mastoid process'),
    ('I00', 'I99', 'I00-I99', 'Circulatory system'),
    ('J00', 'J99', 'J00-J99', 'Respiratory system'),
    ('K00', 'K95', 'K00-K95', 'Digestive system'),
    ('L00', 'L99', 'L00-L99', 'Skin and subcutaneous tissue'),
    ('M00', 'M99', 'M00-M99', 'Musculoskeletal system'),
    ('N00', 'N99', 'N00-N99', 'Genitourinary system'),
    ('O00', 'O9A', 'O00-O9A', 'Pregnancy, childbirth and the puerperium'),
    ('P00', 'P96', 'P00-P96', 'Perinatal conditions'),
    ('Q00', 'Q99', 'Q00-Q99', 'Congenital anomalies'),
    ('R00', 'R99', 'R00-R99', 'Symptoms, signs and abnormal findings'),
    ('S00', 'T88', 'S00-T88', 'Injury, poisoning and external-cause consequences'),
    ('U00', 'U85', 'U00-U85', 'Codes for special purposes'),
    ('V00', 'Y99', 'V00-Y99', 'External causes of morbidity'),
    ('Z00', 'Z99', 'Z00-Z99', 'Factors influencing health status')
) AS t (chapter_first, chapter_last, diagnosis_chapter, diagnosis_chapter_description)
