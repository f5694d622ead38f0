-- The house registry (ท.ร.14) extract: a snapshot per village. A registry load
-- replaces the houses and persons of the villages it covers, as of its date.

CREATE TABLE bmn.registry_house (
    house_code   text COLLATE "C" PRIMARY KEY CHECK (bmn.is_digits(house_code, 11)),
    house_no     text,
    village_code text NOT NULL CHECK (bmn.is_digits(village_code, 8)),
    house_type   text,
    batch_id     bigint NOT NULL,
    as_of        date NOT NULL
);
CREATE INDEX registry_house_village_idx ON bmn.registry_house (village_code);
COMMENT ON TABLE bmn.registry_house IS 'Registered houses (ท.ร.14): the latest snapshot of each village';

CREATE TABLE bmn.registry_person (
    house_code        text COLLATE "C" NOT NULL,
    village_code      text NOT NULL CHECK (bmn.is_digits(village_code, 8)),
    national_id       text CHECK (bmn.is_digits(national_id, 13)),
    title             text,
    first_name        text,
    last_name         text,
    sex               smallint CHECK (sex IN (1, 2)),
    birth_date        date,
    birth_day_known   boolean NOT NULL DEFAULT true,
    birth_month_known boolean NOT NULL DEFAULT true,
    nationality       text CHECK (nationality ~ '^[A-Z]{2}$'),
    status            smallint CHECK (status IN (1, 2)),
    move_in_date      date,
    batch_id          bigint NOT NULL
);
CREATE INDEX registry_person_house_idx ON bmn.registry_person (house_code);
CREATE INDEX registry_person_village_idx ON bmn.registry_person (village_code);
CREATE INDEX registry_person_national_id_idx ON bmn.registry_person (national_id)
    WHERE national_id IS NOT NULL;
COMMENT ON TABLE bmn.registry_person IS 'Persons registered in a house (status 1 householder เจ้าบ้าน, 2 resident ผู้อาศัย)';
