/*
 * generate_names.c: name tables for `bmn generate`. The names are common ones; any
 * likeness to a real person is the nature of common names.
 */
#include <stdio.h>
#include <string.h>

#include "generate_names.h"

#define N_OF(a) ((int) (sizeof(a) / sizeof((a)[0])))

static const gen_province_info provinces[] = {
	{"10", "กรุงเทพมหานคร", "Bangkok", 13.75, 100.50},
	{"11", "สมุทรปราการ", "Samut Prakan", 13.60, 100.60},
	{"12", "นนทบุรี", "Nonthaburi", 13.86, 100.51},
	{"13", "ปทุมธานี", "Pathum Thani", 14.02, 100.53},
	{"14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", 14.35, 100.57},
	{"15", "อ่างทอง", "Ang Thong", 14.59, 100.45},
	{"16", "ลพบุรี", "Lop Buri", 14.80, 100.65},
	{"17", "สิงห์บุรี", "Sing Buri", 14.89, 100.40},
	{"18", "ชัยนาท", "Chai Nat", 15.19, 100.13},
	{"19", "สระบุรี", "Saraburi", 14.53, 100.91},
	{"20", "ชลบุรี", "Chon Buri", 13.36, 100.98},
	{"21", "ระยอง", "Rayong", 12.68, 101.28},
	{"22", "จันทบุรี", "Chanthaburi", 12.61, 102.10},
	{"23", "ตราด", "Trat", 12.24, 102.52},
	{"24", "ฉะเชิงเทรา", "Chachoengsao", 13.69, 101.08},
	{"25", "ปราจีนบุรี", "Prachin Buri", 14.05, 101.37},
	{"26", "นครนายก", "Nakhon Nayok", 14.20, 101.21},
	{"27", "สระแก้ว", "Sa Kaeo", 13.82, 102.07},
	{"30", "นครราชสีมา", "Nakhon Ratchasima", 14.97, 102.10},
	{"31", "บุรีรัมย์", "Buri Ram", 14.99, 103.10},
	{"32", "สุรินทร์", "Surin", 14.88, 103.49},
	{"33", "ศรีสะเกษ", "Si Sa Ket", 15.12, 104.32},
	{"34", "อุบลราชธานี", "Ubon Ratchathani", 15.24, 104.85},
	{"35", "ยโสธร", "Yasothon", 15.79, 104.15},
	{"36", "ชัยภูมิ", "Chaiyaphum", 15.81, 102.03},
	{"37", "อำนาจเจริญ", "Amnat Charoen", 15.86, 104.63},
	{"38", "บึงกาฬ", "Bueng Kan", 18.36, 103.65},
	{"39", "หนองบัวลำภู", "Nong Bua Lam Phu", 17.20, 102.44},
	{"40", "ขอนแก่น", "Khon Kaen", 16.44, 102.83},
	{"41", "อุดรธานี", "Udon Thani", 17.41, 102.79},
	{"42", "เลย", "Loei", 17.49, 101.72},
	{"43", "หนองคาย", "Nong Khai", 17.88, 102.74},
	{"44", "มหาสารคาม", "Maha Sarakham", 16.18, 103.30},
	{"45", "ร้อยเอ็ด", "Roi Et", 16.05, 103.65},
	{"46", "กาฬสินธุ์", "Kalasin", 16.43, 103.51},
	{"47", "สกลนคร", "Sakon Nakhon", 17.16, 104.15},
	{"48", "นครพนม", "Nakhon Phanom", 17.41, 104.78},
	{"49", "มุกดาหาร", "Mukdahan", 16.54, 104.72},
	{"50", "เชียงใหม่", "Chiang Mai", 18.79, 98.98},
	{"51", "ลำพูน", "Lamphun", 18.58, 99.01},
	{"52", "ลำปาง", "Lampang", 18.29, 99.49},
	{"53", "อุตรดิตถ์", "Uttaradit", 17.62, 100.10},
	{"54", "แพร่", "Phrae", 18.14, 100.14},
	{"55", "น่าน", "Nan", 18.78, 100.78},
	{"56", "พะเยา", "Phayao", 19.17, 99.90},
	{"57", "เชียงราย", "Chiang Rai", 19.91, 99.83},
	{"58", "แม่ฮ่องสอน", "Mae Hong Son", 19.30, 97.97},
	{"60", "นครสวรรค์", "Nakhon Sawan", 15.70, 100.14},
	{"61", "อุทัยธานี", "Uthai Thani", 15.38, 100.02},
	{"62", "กำแพงเพชร", "Kamphaeng Phet", 16.48, 99.52},
	{"63", "ตาก", "Tak", 16.88, 99.13},
	{"64", "สุโขทัย", "Sukhothai", 17.01, 99.82},
	{"65", "พิษณุโลก", "Phitsanulok", 16.82, 100.26},
	{"66", "พิจิตร", "Phichit", 16.44, 100.35},
	{"67", "เพชรบูรณ์", "Phetchabun", 16.42, 101.16},
	{"70", "ราชบุรี", "Ratchaburi", 13.54, 99.82},
	{"71", "กาญจนบุรี", "Kanchanaburi", 14.02, 99.53},
	{"72", "สุพรรณบุรี", "Suphan Buri", 14.47, 100.12},
	{"73", "นครปฐม", "Nakhon Pathom", 13.82, 100.06},
	{"74", "สมุทรสาคร", "Samut Sakhon", 13.55, 100.27},
	{"75", "สมุทรสงคราม", "Samut Songkhram", 13.41, 100.00},
	{"76", "เพชรบุรี", "Phetchaburi", 13.11, 99.94},
	{"77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", 11.81, 99.80},
	{"80", "นครศรีธรรมราช", "Nakhon Si Thammarat", 8.43, 99.96},
	{"81", "กระบี่", "Krabi", 8.09, 98.91},
	{"82", "พังงา", "Phangnga", 8.45, 98.53},
	{"83", "ภูเก็ต", "Phuket", 7.88, 98.39},
	{"84", "สุราษฎร์ธานี", "Surat Thani", 9.14, 99.33},
	{"85", "ระนอง", "Ranong", 9.96, 98.64},
	{"86", "ชุมพร", "Chumphon", 10.49, 99.18},
	{"90", "สงขลา", "Songkhla", 7.19, 100.60},
	{"91", "สตูล", "Satun", 6.62, 100.07},
	{"92", "ตรัง", "Trang", 7.56, 99.61},
	{"93", "พัทลุง", "Phatthalung", 7.62, 100.08},
	{"94", "ปัตตานี", "Pattani", 6.87, 101.25},
	{"95", "ยะลา", "Yala", 6.54, 101.28},
	{"96", "นราธิวาส", "Narathiwat", 6.43, 101.82},
};

const gen_province_info *
gen_province_lookup(const char *code)
{
	for (int i = 0; i < N_OF(provinces); i++)
		if (strcmp(provinces[i].code, code) == 0)
			return &provinces[i];
	return NULL;
}

/* Born before about BE 2520 (1977): the names of the older generations. */
static const char *const male_old[] = {
	"สมชาย", "สมศักดิ์", "บุญมี", "บุญเรือง", "ทองดี", "สมบัติ", "ประเสริฐ", "วิชัย",
	"สุชาติ", "มานพ", "ประสิทธิ์", "บุญส่ง", "คำแสง", "ศรีทน", "จันทร์ดี", "ปัญญา",
	"สมหมาย", "อินทร์", "คำมูล", "ทองสุข", "ประยูร", "สมาน", "บุญชู", "ไพโรจน์",
	"สุวิทย์", "เสาร์", "บุญธรรม", "สงวน", "ชูชาติ", "วิรัตน์", "สมพงษ์", "อุดม",
};
static const char *const male_young[] = {
	"ธนพล", "ณัฐพล", "กิตติพงษ์", "ศักดิ์ชัย", "อภิชาติ", "จักรพันธ์", "พงศกร", "ธีรพงษ์",
	"อดิศักดิ์", "ภานุวัฒน์", "ธนากร", "กฤษดา", "ศุภชัย", "ปิยะพงษ์", "รัฐพล", "ธนวัฒน์",
	"ปกรณ์", "ธีรภัทร", "ภูมิพัฒน์", "ธนกร", "ปัณณวัฒน์", "ณัฐวุฒิ", "วรเมธ", "กิตติภูมิ",
	"ชยพล", "พีรพัฒน์", "ศุภกร", "อนุชา", "วีรยุทธ", "สิทธิชัย", "ภาคิน", "กฤตภาส",
};
static const char *const female_old[] = {
	"สมศรี", "บุญมา", "ทองใบ", "คำปุ่น", "จันทร์เพ็ญ", "มาลี", "สมพร", "ประไพ",
	"บัวผัน", "สุดใจ", "อำไพ", "พรทิพย์", "วันเพ็ญ", "สายสุนีย์", "ละเอียด", "ทองคำ",
	"แสงเดือน", "บุญเรือน", "สมจิตร", "นงลักษณ์", "กาญจนา", "วิไลวรรณ", "ประนอม", "ศรีนวล",
	"คำใส", "บังอร", "สุภาพ", "เพ็ญศรี", "ลำดวน", "จำปี", "บัวลอย", "สุนทร",
};
static const char *const female_young[] = {
	"ณัฐธิดา", "กัญญาณัฐ", "ปิยะธิดา", "พิมพ์ชนก", "ศิริพร", "สุนิสา", "อรอุมา", "จิราพร",
	"ธิดารัตน์", "ชนิดา", "ปวีณา", "กมลชนก", "ศศิธร", "วรรณิศา", "พัชราภรณ์", "ณัฐชา",
	"ปภาวรินทร์", "ชลธิชา", "อัญชลี", "กนกวรรณ", "สุพัตรา", "ภัทรา", "เบญจวรรณ", "ธัญญารัตน์",
	"รุ่งนภา", "วราภรณ์", "ณิชา", "ปุณยวีร์", "ธนพร", "นภัสสร", "ศิรินภา", "อารีรัตน์",
};

/* Family names are compounds, as many Thai ones are. */
static const char *const surname_head[] = {
	"ศรี", "แก้ว", "บุญ", "ทอง", "คำ", "จันทร์", "สุข", "มณี", "อินทร์", "สม", "ชัย",
	"วงศ์", "พรหม", "เพชร", "นาค", "ปัญญา", "ธรรม", "ไชย", "เรือง", "สุวรรณ", "อุ่น",
	"ใจ", "ดวง", "พันธ์", "สิงห์", "ปัน",
};
static const char *const surname_tail[] = {
	"มา", "มี", "ดี", "สุข", "เรือง", "วงศ์", "ศรี", "ทอง", "คำ", "ไชย", "ธรรม", "แก้ว",
	"ประเสริฐ", "สมบูรณ์", "รักษ์", "ชัย", "วัฒนา", "พันธ์", "ปัญญา", "ใจ", "ดวง",
	"เดช", "สิทธิ์", "วงค์", "กุล", "เมือง", "ยศ",
};

/* Migrants from Myanmar, Laos and Cambodia, written in Thai script as on Thai records. */
static const char *const mm_male[] = {"หม่อง", "ซอ", "ทุน", "อ่อง", "มิน", "จอ", "ตาน", "เมียว"};
static const char *const mm_female[] = {"มา", "ขิ่น", "เอ", "ซู", "ทิดา", "นันดา", "มิ้น", "เต็ง"};
static const char *const mm_last[] = {"ลวิน", "อู", "หน่าย", "ทุน", "โซ", "วิน", "ตู", "เมียต"};
static const char *const la_male[] = {"สุลิยา", "คำพอน", "บุนมี", "ทองสะหวัน", "วันไซ", "สีสะหวาด"};
static const char *const la_female[] = {"บัวพัน", "คำเพ็ง", "จันสุก", "แสงจัน", "ดาวเรือง", "มะนีวอน"};
static const char *const la_last[] = {"พมมะจัน", "สีสุพัน", "ไซยะวง", "พิลาวง", "แก้วมะนี", "วงสะหวัน"};
static const char *const kh_male[] = {"สุเพียบ", "เจีย", "โสภาร์", "วิเชต", "ฤทธี", "สมบัต"};
static const char *const kh_female[] = {"สรีมม", "จันทา", "โสภี", "ดาลิน", "เสรย", "ลีนา"};
static const char *const kh_last[] = {"เฮง", "จาน", "สก", "เมียส", "ลิม", "เขียว"};

#define PICK(r, a) ((a)[gen_rng_below((r), (uint32_t) N_OF(a))])

const char *
gen_first_name(gen_rng *r, int sex, int birth_year_be, const char *nationality)
{
	if (strcmp(nationality, "MM") == 0)
		return sex == 1 ? PICK(r, mm_male) : PICK(r, mm_female);
	if (strcmp(nationality, "LA") == 0)
		return sex == 1 ? PICK(r, la_male) : PICK(r, la_female);
	if (strcmp(nationality, "KH") == 0)
		return sex == 1 ? PICK(r, kh_male) : PICK(r, kh_female);
	if (birth_year_be < 2520)
		return sex == 1 ? PICK(r, male_old) : PICK(r, female_old);
	return sex == 1 ? PICK(r, male_young) : PICK(r, female_young);
}

void
gen_last_name(gen_rng *r, const char *nationality, char *out)
{
	const char *a,
			   *b;

	if (strcmp(nationality, "MM") == 0)
	{
		snprintf(out, GEN_NAME_MAX, "%s", PICK(r, mm_last));
		return;
	}
	if (strcmp(nationality, "LA") == 0)
	{
		snprintf(out, GEN_NAME_MAX, "%s", PICK(r, la_last));
		return;
	}
	if (strcmp(nationality, "KH") == 0)
	{
		snprintf(out, GEN_NAME_MAX, "%s", PICK(r, kh_last));
		return;
	}
	a = PICK(r, surname_head);
	do
		b = PICK(r, surname_tail);
	while (strcmp(a, b) == 0);
	snprintf(out, GEN_NAME_MAX, "%s%s", a, b);
}

const char *
gen_title(int sex, int age, bool married)
{
	if (age < 15)
		return sex == 1 ? "เด็กชาย" : "เด็กหญิง";
	if (sex == 1)
		return "นาย";
	return married ? "นาง" : "นางสาว";
}

/* Place-name parts, Thai with their romanisation (RTGS). */
static const char *const place_head[][2] = {
	{"ดอน", "Don"}, {"นา", "Na"}, {"ห้วย", "Huai"}, {"หนอง", "Nong"}, {"โนน", "Non"},
	{"ป่า", "Pa"}, {"ทุ่ง", "Thung"}, {"น้ำ", "Nam"}, {"สัน", "San"}, {"แม่", "Mae"},
	{"ปาง", "Pang"}, {"บ่อ", "Bo"}, {"โคก", "Khok"}, {"วัง", "Wang"}, {"ดง", "Dong"},
	{"ท่า", "Tha"}, {"เวียง", "Wiang"}, {"ผา", "Pha"}, {"หัว", "Hua"}, {"สระ", "Sa"},
	{"บึง", "Bueng"}, {"คลอง", "Khlong"}, {"เขา", "Khao"}, {"โพธิ์", "Pho"}, {"ไร่", "Rai"},
};
static const char *const place_tail[][2] = {
	{"แก้ว", "Kaeo"}, {"หลวง", "Luang"}, {"ทราย", "Sai"}, {"ใหม่", "Mai"}, {"เก่า", "Kao"},
	{"งาม", "Ngam"}, {"ทอง", "Thong"}, {"ยาง", "Yang"}, {"ขาม", "Kham"}, {"แดง", "Daeng"},
	{"ขาว", "Khao"}, {"บัว", "Bua"}, {"ไผ่", "Phai"}, {"ค้อ", "Kho"}, {"สะแก", "Sakae"},
	{"ตาล", "Tan"}, {"ม่วง", "Muang"}, {"เหนือ", "Nuea"}, {"ใต้", "Tai"}, {"กลาง", "Klang"},
	{"ศรี", "Si"}, {"สวรรค์", "Sawan"}, {"จันทร์", "Chan"}, {"พัฒนา", "Phatthana"},
	{"เจริญ", "Charoen"}, {"สามัคคี", "Samakkhi"}, {"มะนาว", "Manao"}, {"เย็น", "Yen"},
};

void
gen_place_name(gen_rng *r, bool village, char *th, char *en)
{
	int			h = (int) gen_rng_below(r, (uint32_t) N_OF(place_head));
	int			t = (int) gen_rng_below(r, (uint32_t) N_OF(place_tail));

	snprintf(th, GEN_NAME_MAX, "%s%s%s", village ? "บ้าน" : "", place_head[h][0],
			 place_tail[t][0]);
	snprintf(en, GEN_NAME_MAX, "%s%s %s", village ? "Ban " : "", place_head[h][1],
			 place_tail[t][1]);
}
