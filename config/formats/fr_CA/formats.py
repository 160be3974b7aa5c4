"""fr-CA display formats: « 26 nov. 2026 », « 1 234,5 kg », 24-hour « 9 h 05 »."""

DATE_FORMAT = "j N Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j N Y, G\xa0\\h\xa0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j N"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"
FIRST_DAY_OF_WEEK = 0
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
