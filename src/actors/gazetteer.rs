//! Built-in names of countries, their metonyms and demonyms, and common
//! organisations. One line an actor: `canonical|kind|aliases|demonyms`.
//!
//! The choice, documented in the README: a country, its abbreviations and
//! its capital used as a metonym ("Washington", "Caracas") are one actor
//! (a capital right after "in", "near" or "outside" is a place, none);
//! "the White House" and "the Trump administration" are actors of their
//! own (the executive, not the country); a demonym counts as the country
//! only before a word for its state ("Cuban officials", "US sanctions").
//! Countries: the UN's members that news names most, plus the UK's four
//! nations and Kosovo, written from general knowledge; a capital is an
//! alias only where it is not also a common first name or another place
//! ("Sofia", "Georgetown", "San José", "Nassau" are left out), and Georgia
//! is left out (in US news mostly the state).

use super::ActorKind;

const TABLE: &str = "\
United States|country|United States,United States of America,US,U.S.,USA,U.S.A.,America,Washington|American
Venezuela|country|Venezuela,Caracas|Venezuelan
Cuba|country|Cuba,Havana|Cuban
Russia|country|Russia,Russian Federation,Moscow,Kremlin,the Kremlin|Russian
China|country|China,Beijing,PRC|Chinese
United Kingdom|country|United Kingdom,UK,U.K.,Britain,Great Britain,London,Downing Street|British
France|country|France,Paris,Elysee,Élysée|French
Germany|country|Germany,Berlin|German
Italy|country|Italy,Rome|Italian
Spain|country|Spain,Madrid|Spanish
Canada|country|Canada,Ottawa|Canadian
Mexico|country|Mexico,Mexico City|Mexican
Brazil|country|Brazil,Brasilia,Brasília|Brazilian
Argentina|country|Argentina,Buenos Aires|Argentine,Argentinian
Colombia|country|Colombia,Bogota,Bogotá|Colombian
Peru|country|Peru,Lima|Peruvian
Chile|country|Chile,Santiago|Chilean
Ecuador|country|Ecuador,Quito|Ecuadorian
Bolivia|country|Bolivia,La Paz|Bolivian
Uruguay|country|Uruguay,Montevideo|Uruguayan
Paraguay|country|Paraguay,Asuncion|Paraguayan
Nicaragua|country|Nicaragua,Managua|Nicaraguan
Honduras|country|Honduras,Tegucigalpa|Honduran
Guatemala|country|Guatemala|Guatemalan
El Salvador|country|El Salvador|Salvadoran
Panama|country|Panama|Panamanian
Haiti|country|Haiti|Haitian
Dominican Republic|country|Dominican Republic|Dominican
Japan|country|Japan,Tokyo|Japanese
South Korea|country|South Korea,Seoul|South Korean
North Korea|country|North Korea,Pyongyang,DPRK|North Korean
India|country|India,New Delhi|Indian
Pakistan|country|Pakistan,Islamabad|Pakistani
Afghanistan|country|Afghanistan,Kabul|Afghan
Iran|country|Iran,Tehran|Iranian
Iraq|country|Iraq,Baghdad|Iraqi
Syria|country|Syria,Damascus|Syrian
Israel|country|Israel,Jerusalem|Israeli
Palestine|country|Palestine,Palestinian territories|Palestinian
Saudi Arabia|country|Saudi Arabia,Riyadh|Saudi
Turkey|country|Turkey,Ankara|Turkish
Egypt|country|Egypt,Cairo|Egyptian
Libya|country|Libya,Tripoli|Libyan
Yemen|country|Yemen|Yemeni
Qatar|country|Qatar,Doha|Qatari
United Arab Emirates|country|United Arab Emirates,UAE,Abu Dhabi|Emirati
Lebanon|country|Lebanon,Beirut|Lebanese
Jordan|country|Jordan,Amman|Jordanian
Ukraine|country|Ukraine,Kiev,Kyiv|Ukrainian
Poland|country|Poland,Warsaw|Polish
Hungary|country|Hungary,Budapest|Hungarian
Greece|country|Greece,Athens|Greek
Netherlands|country|Netherlands,The Hague,Amsterdam|Dutch
Belgium|country|Belgium|Belgian
Sweden|country|Sweden,Stockholm|Swedish
Norway|country|Norway,Oslo|Norwegian
Denmark|country|Denmark,Copenhagen|Danish
Finland|country|Finland,Helsinki|Finnish
Switzerland|country|Switzerland,Bern|Swiss
Austria|country|Austria,Vienna|Austrian
Portugal|country|Portugal,Lisbon|Portuguese
Ireland|country|Ireland,Dublin|Irish
Australia|country|Australia,Canberra|Australian
New Zealand|country|New Zealand,Wellington|New Zealander
South Africa|country|South Africa,Pretoria|South African
Nigeria|country|Nigeria,Abuja|Nigerian
Kenya|country|Kenya,Nairobi|Kenyan
Ethiopia|country|Ethiopia,Addis Ababa|Ethiopian
Indonesia|country|Indonesia,Jakarta|Indonesian
Philippines|country|Philippines,Manila|Filipino
Vietnam|country|Vietnam,Hanoi|Vietnamese
Taiwan|country|Taiwan,Taipei|Taiwanese
Belarus|country|Belarus,Minsk|Belarusian
Bangladesh|country|Bangladesh,Dhaka|Bangladeshi
Sri Lanka|country|Sri Lanka,Colombo|Sri Lankan
Nepal|country|Nepal,Kathmandu|Nepalese,Nepali
Bhutan|country|Bhutan|Bhutanese
Maldives|country|Maldives|Maldivian
Myanmar|country|Myanmar,Burma,Naypyidaw|Burmese
Thailand|country|Thailand,Bangkok|Thai
Malaysia|country|Malaysia,Kuala Lumpur|Malaysian
Singapore|country|Singapore|Singaporean
Cambodia|country|Cambodia,Phnom Penh|Cambodian
Laos|country|Laos,Vientiane|Laotian
Mongolia|country|Mongolia,Ulaanbaatar|Mongolian
Kazakhstan|country|Kazakhstan,Astana|Kazakh
Uzbekistan|country|Uzbekistan,Tashkent|Uzbek
Kyrgyzstan|country|Kyrgyzstan,Bishkek|Kyrgyz
Tajikistan|country|Tajikistan,Dushanbe|Tajik
Turkmenistan|country|Turkmenistan,Ashgabat|Turkmen
Armenia|country|Armenia,Yerevan|Armenian
Azerbaijan|country|Azerbaijan,Baku|Azerbaijani
Kuwait|country|Kuwait|Kuwaiti
Bahrain|country|Bahrain,Manama|Bahraini
Oman|country|Oman,Muscat|Omani
Cyprus|country|Cyprus,Nicosia|Cypriot
Malta|country|Malta,Valletta|Maltese
Iceland|country|Iceland,Reykjavik|Icelandic
Luxembourg|country|Luxembourg|
Czech Republic|country|Czech Republic,Czechia,Prague|Czech
Slovakia|country|Slovakia,Bratislava|Slovak
Slovenia|country|Slovenia,Ljubljana|Slovenian
Croatia|country|Croatia,Zagreb|Croatian
Serbia|country|Serbia,Belgrade|Serbian
Bosnia and Herzegovina|country|Bosnia and Herzegovina,Bosnia,Sarajevo|Bosnian
Montenegro|country|Montenegro,Podgorica|Montenegrin
Kosovo|country|Kosovo,Pristina|Kosovar
Albania|country|Albania,Tirana|Albanian
North Macedonia|country|North Macedonia,Macedonia,Skopje|Macedonian
Bulgaria|country|Bulgaria|Bulgarian
Romania|country|Romania,Bucharest|Romanian
Moldova|country|Moldova,Chisinau|Moldovan
Lithuania|country|Lithuania,Vilnius|Lithuanian
Latvia|country|Latvia,Riga|Latvian
Estonia|country|Estonia,Tallinn|Estonian
Scotland|country|Scotland,Holyrood|Scottish
Wales|country|Wales|Welsh
England|country|England|English
Northern Ireland|country|Northern Ireland,Stormont|
Morocco|country|Morocco,Rabat|Moroccan
Algeria|country|Algeria,Algiers|Algerian
Tunisia|country|Tunisia,Tunis|Tunisian
Sudan|country|Sudan,Khartoum|Sudanese
South Sudan|country|South Sudan,Juba|South Sudanese
Somalia|country|Somalia,Mogadishu|Somali
Eritrea|country|Eritrea,Asmara|Eritrean
Djibouti|country|Djibouti|
Uganda|country|Uganda,Kampala|Ugandan
Tanzania|country|Tanzania,Dodoma|Tanzanian
Rwanda|country|Rwanda,Kigali|Rwandan
Burundi|country|Burundi|Burundian
Democratic Republic of the Congo|country|Democratic Republic of the Congo,DR Congo,DRC,Kinshasa|Congolese
Republic of the Congo|country|Republic of the Congo,Brazzaville|
Ghana|country|Ghana,Accra|Ghanaian
Senegal|country|Senegal,Dakar|Senegalese
Ivory Coast|country|Ivory Coast,Côte d'Ivoire,Cote d'Ivoire|Ivorian
Cameroon|country|Cameroon,Yaounde,Yaoundé|Cameroonian
Mali|country|Mali,Bamako|Malian
Niger|country|Niger,Niamey|Nigerien
Burkina Faso|country|Burkina Faso,Ouagadougou|Burkinabe
Guinea|country|Guinea,Conakry|Guinean
Sierra Leone|country|Sierra Leone,Freetown|Sierra Leonean
Liberia|country|Liberia,Monrovia|Liberian
Benin|country|Benin|Beninese
Togo|country|Togo,Lome,Lomé|Togolese
Gabon|country|Gabon,Libreville|Gabonese
Zimbabwe|country|Zimbabwe,Harare|Zimbabwean
Zambia|country|Zambia,Lusaka|Zambian
Malawi|country|Malawi,Lilongwe|Malawian
Mozambique|country|Mozambique,Maputo|Mozambican
Angola|country|Angola,Luanda|Angolan
Namibia|country|Namibia,Windhoek|Namibian
Botswana|country|Botswana,Gaborone|
Madagascar|country|Madagascar,Antananarivo|Malagasy
Mauritius|country|Mauritius|Mauritian
Mauritania|country|Mauritania,Nouakchott|Mauritanian
Jamaica|country|Jamaica|Jamaican
Costa Rica|country|Costa Rica|Costa Rican
Belize|country|Belize|Belizean
Trinidad and Tobago|country|Trinidad and Tobago,Trinidad|Trinidadian
Bahamas|country|Bahamas|Bahamian
Barbados|country|Barbados|Barbadian
Guyana|country|Guyana|Guyanese
Suriname|country|Suriname,Paramaribo|Surinamese
Papua New Guinea|country|Papua New Guinea,Port Moresby|
Fiji|country|Fiji,Suva|Fijian
Brunei|country|Brunei|
East Timor|country|East Timor,Timor-Leste,Dili|
European Union|organization|European Union,EU,E.U.,Brussels|
United Nations|organization|United Nations,UN,U.N.|
NATO|organization|NATO,North Atlantic Treaty Organization|
Organization of American States|organization|Organization of American States,OAS|
Lima Group|organization|Lima Group|
International Monetary Fund|organization|International Monetary Fund,IMF|
World Bank|organization|World Bank|
World Health Organization|organization|World Health Organization,WHO|
White House|organization|White House,the White House|
Pentagon|organization|Pentagon,the Pentagon|
State Department|organization|State Department,Department of State|
Congress|organization|Congress,US Congress,U.S. Congress|
Senate|organization|Senate,US Senate,U.S. Senate|
House of Representatives|organization|House of Representatives|
Supreme Court|organization|Supreme Court|
FBI|organization|FBI,Federal Bureau of Investigation|
CIA|organization|CIA,Central Intelligence Agency|
Democratic Party|organization|Democratic Party,Democrats,DNC,Democratic National Committee|
Republican Party|organization|Republican Party,Republicans,GOP,RNC,Republican National Committee|
Reuters|organization|Reuters|
Associated Press|organization|Associated Press,AP|
Agence France-Presse|organization|Agence France-Presse,AFP|
Sputnik|organization|Sputnik|
TASS|organization|TASS|
Xinhua|organization|Xinhua|
Bloomberg News|organization|Bloomberg News,Bloomberg|
BBC|organization|BBC|
CNN|organization|CNN|
Fox News|organization|Fox News|
MSNBC|organization|MSNBC|
New York Times|organization|New York Times,the New York Times|
Washington Post|organization|Washington Post,the Washington Post|
Wall Street Journal|organization|Wall Street Journal,the Wall Street Journal|
Al Jazeera|organization|Al Jazeera|
Twitter|organization|Twitter|
Facebook|organization|Facebook|
Google|organization|Google|
Amazon|organization|Amazon|
Apple|organization|Apple|
Microsoft|organization|Microsoft|
Politico|organization|Politico|
Breitbart News|organization|Breitbart News,Breitbart|
Newsmax|organization|Newsmax|
Forbes|organization|Forbes|
Axios|organization|Axios|
The Guardian|organization|The Guardian,Guardian|
Financial Times|organization|Financial Times|
The Economist|organization|The Economist|
NPR|organization|NPR,National Public Radio|
PBS|organization|PBS|
ABC News|organization|ABC News|
CBS News|organization|CBS News|
NBC News|organization|NBC News|
CNBC|organization|CNBC|
USA Today|organization|USA Today|
Los Angeles Times|organization|Los Angeles Times|
The Hill|organization|The Hill|
Daily Mail|organization|Daily Mail|
HuffPost|organization|HuffPost,Huffington Post|
BuzzFeed News|organization|BuzzFeed News,BuzzFeed|
RT|organization|RT,Russia Today|
RIA Novosti|organization|RIA Novosti|
Der Spiegel|organization|Der Spiegel,Spiegel|
Le Monde|organization|Le Monde|
Gallup|organization|Gallup|
Pew Research Center|organization|Pew Research Center,Pew|
Federal Reserve|organization|Federal Reserve,Fed|
European Central Bank|organization|European Central Bank,ECB|
Interpol|organization|Interpol|
Justice Department|organization|Justice Department,Department of Justice|
Hezbollah|organization|Hezbollah|
Hamas|organization|Hamas|
Taliban|organization|Taliban,the Taliban|
Al Qaeda|organization|Al Qaeda,al-Qaeda|
Islamic State|organization|Islamic State,ISIS,ISIL|
";

/// Words that, after a demonym, make it stand for the country's state.
pub const STATE_NOUNS: &[&str] = &[
    "government", "governments", "officials", "official", "military", "forces", "troops", "army", "authorities",
    "administration", "regime", "diplomats", "diplomat", "embassy", "sanctions", "navy", "police", "intelligence",
    "leaders", "leader", "leadership", "lawmakers", "state", "ministry", "envoy", "ambassador", "president",
    "intervention", "interference", "pressure", "support", "aid", "strikes", "officers",
];

/// A country's aliases that are not places: other names of the country
/// and seats of its government. Every other alias of a country that is
/// not an abbreviation is a city, its capital ("Caracas", "Washington").
const COUNTRY_NAMES: &[&str] = &[
    "United States of America", "America", "Russian Federation", "Kremlin", "the Kremlin", "Britain", "Great Britain",
    "Downing Street", "Elysee", "Élysée", "Palestinian territories", "Burma", "Czechia", "Bosnia", "Macedonia", "Holyrood",
    "Stormont", "DR Congo", "Côte d'Ivoire", "Cote d'Ivoire", "Timor-Leste", "Trinidad",
];

#[derive(Debug, Clone)]
pub struct Entry {
    pub canonical: &'static str,
    pub kind: ActorKind,
    pub aliases: Vec<&'static str>,
    pub demonyms: Vec<&'static str>,
}

impl Entry {
    /// Whether `alias` names a city of this country (its capital): a place,
    /// which stands for the country ("Caracas said") except where it only
    /// says where something is or happens ("a prison in Kampala").
    pub fn is_place(&self, alias: &str) -> bool {
        let abbreviation = alias.chars().all(|c| c.is_uppercase() || c == '.');
        self.kind == ActorKind::Country && alias != self.canonical && !abbreviation && !COUNTRY_NAMES.contains(&alias)
    }
}

pub fn entries() -> Vec<Entry> {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            let list = |s: &'static str| s.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
            Entry {
                canonical: f[0],
                kind: if f[1] == "country" { ActorKind::Country } else { ActorKind::Organization },
                aliases: list(f[2]),
                demonyms: list(f[3]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_parses_and_aliases_are_unique() {
        let e = super::entries();
        assert!(e.len() > 90);
        let mut seen = std::collections::HashSet::new();
        for x in &e {
            for a in &x.aliases {
                assert!(seen.insert(a.to_lowercase()), "duplicate alias {a}");
            }
        }
    }

    #[test]
    fn capitals_are_places_and_other_names_of_a_country_are_not() {
        let e = super::entries();
        let of = |c: &str| e.iter().find(|x| x.canonical == c).unwrap().clone();
        let (us, uk, ru) = (of("United States"), of("United Kingdom"), of("Russia"));
        assert!(us.is_place("Washington") && of("Uganda").is_place("Kampala") && of("Mexico").is_place("Mexico City"));
        for (entry, alias) in [(&us, "United States"), (&us, "U.S."), (&us, "America"), (&uk, "Britain"), (&uk, "UK"), (&ru, "the Kremlin")] {
            assert!(!entry.is_place(alias), "{alias}");
        }
        // Every name of the list is an alias of some country.
        for n in super::COUNTRY_NAMES {
            assert!(e.iter().any(|x| x.aliases.contains(n)), "{n}");
        }
    }
}
