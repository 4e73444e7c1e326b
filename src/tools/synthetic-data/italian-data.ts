import type { noteKinds, UserArea } from '../../shared/domain.js';

/**
 * Reference lists for the synthetic deployment. Municipalities: Belfiore codes as in the codice-fiscale-js
 * list and ISTAT codes of the ISTAT "Elenco dei comuni"; residents are round figures of the right order of
 * magnitude, not census data. Names are common Italian (and, for foreign-born citizens, common foreign)
 * names; no real person is meant.
 */
export interface Municipality {
  name: string;
  belfiore: string;
  istat: string;
  residents: number;
}

export const municipalities: readonly Municipality[] = [
  { name: 'Milano', belfiore: 'F205', istat: '015146', residents: 1_370_000 },
  { name: 'Roma', belfiore: 'H501', istat: '058091', residents: 2_750_000 },
  { name: 'Torino', belfiore: 'L219', istat: '001272', residents: 850_000 },
  { name: 'Napoli', belfiore: 'F839', istat: '063049', residents: 910_000 },
  { name: 'Palermo', belfiore: 'G273', istat: '082053', residents: 630_000 },
  { name: 'Genova', belfiore: 'D969', istat: '010025', residents: 560_000 },
  { name: 'Bologna', belfiore: 'A944', istat: '037006', residents: 390_000 },
  { name: 'Firenze', belfiore: 'D612', istat: '048017', residents: 360_000 },
  { name: 'Bari', belfiore: 'A662', istat: '072006', residents: 316_000 },
  { name: 'Catania', belfiore: 'C351', istat: '087015', residents: 298_000 },
  { name: 'Venezia', belfiore: 'L736', istat: '027042', residents: 250_000 },
  { name: 'Verona', belfiore: 'L781', istat: '023091', residents: 255_000 },
  { name: 'Messina', belfiore: 'F158', istat: '083048', residents: 220_000 },
  { name: 'Padova', belfiore: 'G224', istat: '028060', residents: 208_000 },
  { name: 'Trieste', belfiore: 'L424', istat: '032006', residents: 200_000 },
  { name: 'Brescia', belfiore: 'B157', istat: '017029', residents: 197_000 },
  { name: 'Parma', belfiore: 'G337', istat: '034027', residents: 198_000 },
  { name: 'Taranto', belfiore: 'L049', istat: '073027', residents: 188_000 },
  { name: 'Prato', belfiore: 'G999', istat: '100005', residents: 196_000 },
  { name: 'Modena', belfiore: 'F257', istat: '036023', residents: 185_000 },
  { name: 'Reggio di Calabria', belfiore: 'H224', istat: '080063', residents: 170_000 },
  { name: "Reggio nell'Emilia", belfiore: 'H223', istat: '035033', residents: 171_000 },
  { name: 'Perugia', belfiore: 'G478', istat: '054039', residents: 162_000 },
  { name: 'Livorno', belfiore: 'E625', istat: '049009', residents: 153_000 },
  { name: 'Ravenna', belfiore: 'H199', istat: '039014', residents: 156_000 },
  { name: 'Cagliari', belfiore: 'B354', istat: '092009', residents: 149_000 },
  { name: 'Foggia', belfiore: 'D643', istat: '071024', residents: 146_000 },
  { name: 'Rimini', belfiore: 'H294', istat: '099014', residents: 150_000 },
  { name: 'Salerno', belfiore: 'H703', istat: '065116', residents: 127_000 },
  { name: 'Ferrara', belfiore: 'D548', istat: '038008', residents: 130_000 },
  { name: 'Sassari', belfiore: 'I452', istat: '090064', residents: 122_000 },
  { name: 'Latina', belfiore: 'E472', istat: '059011', residents: 127_000 },
  { name: 'Bergamo', belfiore: 'A794', istat: '016024', residents: 120_000 },
  { name: 'Monza', belfiore: 'F704', istat: '108033', residents: 123_000 },
  { name: 'Pescara', belfiore: 'G482', istat: '068028', residents: 118_000 },
  { name: 'Trento', belfiore: 'L378', istat: '022205', residents: 118_000 },
  { name: 'Vicenza', belfiore: 'L840', istat: '024116', residents: 110_000 },
  { name: 'Bolzano', belfiore: 'A952', istat: '021008', residents: 106_000 },
  { name: 'Novara', belfiore: 'F952', istat: '003106', residents: 101_000 },
  { name: 'Piacenza', belfiore: 'G535', istat: '033032', residents: 103_000 },
];

/** Foreign birth countries: Belfiore (Z…) code and ISTAT citizenship code. */
export const foreignCountries: readonly { belfiore: string; citizenship: string; weight: number }[] = [
  { belfiore: 'Z129', citizenship: '235', weight: 20 }, // Romania
  { belfiore: 'Z330', citizenship: '436', weight: 14 }, // Marocco
  { belfiore: 'Z100', citizenship: '201', weight: 13 }, // Albania
  { belfiore: 'Z138', citizenship: '243', weight: 8 }, // Ucraina
  { belfiore: 'Z210', citizenship: '314', weight: 7 }, // Cina
  { belfiore: 'Z216', citizenship: '323', weight: 5 }, // Filippine
  { belfiore: 'Z222', citizenship: '330', weight: 5 }, // India
  { belfiore: 'Z249', citizenship: '305', weight: 5 }, // Bangladesh
  { belfiore: 'Z336', citizenship: '419', weight: 5 }, // Egitto
  { belfiore: 'Z236', citizenship: '344', weight: 4 }, // Pakistan
  { belfiore: 'Z343', citizenship: '450', weight: 4 }, // Senegal
  { belfiore: 'Z352', citizenship: '460', weight: 3 }, // Tunisia
  { belfiore: 'Z140', citizenship: '254', weight: 3 }, // Moldavia
  { belfiore: 'Z611', citizenship: '615', weight: 2 }, // Perù
  { belfiore: 'Z605', citizenship: '609', weight: 2 }, // Ecuador
];

export const maleNames = [
  'Giuseppe', 'Giovanni', 'Antonio', 'Mario', 'Luigi', 'Francesco', 'Angelo', 'Vincenzo', 'Pietro', 'Salvatore',
  'Carlo', 'Franco', 'Domenico', 'Bruno', 'Paolo', 'Michele', 'Giorgio', 'Aldo', 'Sergio', 'Luciano',
  'Marco', 'Alessandro', 'Andrea', 'Luca', 'Matteo', 'Lorenzo', 'Davide', 'Simone', 'Federico', 'Riccardo',
  'Stefano', 'Roberto', 'Massimo', 'Fabio', 'Daniele', 'Claudio', 'Emanuele', 'Gabriele', 'Tommaso', 'Leonardo',
  'Edoardo', 'Mattia', 'Christian', 'Nicola', 'Alberto', 'Enrico', 'Giacomo', 'Filippo', 'Samuele', 'Diego',
] as const;

export const femaleNames = [
  'Maria', 'Anna', 'Giuseppina', 'Rosa', 'Angela', 'Giovanna', 'Teresa', 'Lucia', 'Carmela', 'Caterina',
  'Francesca', 'Antonietta', 'Carla', 'Elena', 'Concetta', 'Rita', 'Margherita', 'Franca', 'Paola', 'Laura',
  'Giulia', 'Sofia', 'Aurora', 'Alice', 'Ginevra', 'Emma', 'Giorgia', 'Martina', 'Chiara', 'Sara',
  'Valentina', 'Federica', 'Silvia', 'Alessandra', 'Roberta', 'Elisa', 'Monica', 'Barbara', 'Cristina', 'Simona',
  'Beatrice', 'Camilla', 'Noemi', 'Greta', 'Irene', 'Marta', 'Ilaria', 'Serena', 'Daniela', 'Patrizia',
] as const;

export const foreignMaleNames = ['Mohamed', 'Ahmed', 'Youssef', 'Andrei', 'Ion', 'Ardit', 'Wei', 'Rahul', 'Omar', 'Mamadou', 'Oleksandr', 'José'] as const;
export const foreignFemaleNames = ['Fatima', 'Aisha', 'Elena', 'Ioana', 'Mihaela', 'Elona', 'Li', 'Priya', 'Khadija', 'Olena', 'Maricel', 'Awa'] as const;

export const familyNames = [
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
  'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti',
  'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone',
  'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti',
  'Parisi', 'Villa', 'Conte', 'Ferraro', 'Ferri', 'Fabbri', 'Bianco', 'Marini', 'Grasso', 'Valentini',
  'Messina', 'Sala', 'De Angelis', 'Gatti', 'Pellegrini', 'Palumbo', 'Sanna', 'Farina', 'Rizzi', 'Monti',
  'Cattaneo', 'Morelli', 'Amato', 'Silvestri', 'Mazza', 'Testa', 'Grassi', 'Pellegrino', 'Carbone', 'Giuliani',
  'Benedetti', 'Barone', 'Rossetti', 'Caputo', 'Montanari', 'Guerra', 'Palmieri', 'Bernardi', 'Martino', 'Fiore',
] as const;

export const foreignFamilyNames = ['El Amrani', 'Benali', 'Popescu', 'Ionescu', 'Hoxha', 'Shehu', 'Zhang', 'Wang', 'Singh', 'Kumar', 'Diop', 'Kovalenko', 'Khan', 'Hossain', 'Santos'] as const;

/** Teams (équipe) every synthetic organisation has, and the user areas each one takes. */
export const teamTemplates: readonly { name: string; area: string; userAreas: readonly UserArea[] }[] = [
  { name: 'Minori e famiglia', area: 'minori e famiglia', userAreas: ['family_minors'] },
  { name: 'Anziani', area: 'anziani', userAreas: ['elderly'] },
  { name: 'Disabilità', area: 'disabilità', userAreas: ['disability'] },
  { name: 'Adulti in difficoltà', area: 'adulti', userAreas: ['poverty_adults', 'addiction', 'immigrants', 'multi_user'] },
];

/** Share of cases by user area (roughly the national mix of municipal social services). */
export const userAreaWeights: Readonly<Record<UserArea, number>> = {
  family_minors: 30,
  elderly: 25,
  disability: 18,
  poverty_adults: 17,
  immigrants: 4,
  addiction: 3,
  multi_user: 3,
};

export const referralSources = ['self', 'family', 'school', 'health_service', 'hospital', 'court', 'police', 'third_sector', 'other_service'] as const;

/** The service catalogue of every synthetic organisation; SIUSS codes in the nomenclatore's format. */
export const serviceTemplates: readonly {
  name: string;
  siussCode: string;
  userAreas: readonly UserArea[];
  periodic: boolean;
  meansTestType: number | null;
  monthlyAmount: [number, number] | null;
  monthlyHours: [number, number] | null;
}[] = [
  { name: 'Segretariato sociale', siussCode: 'A1.01', userAreas: ['family_minors', 'elderly', 'disability', 'poverty_adults', 'immigrants', 'addiction', 'multi_user'], periodic: false, meansTestType: null, monthlyAmount: null, monthlyHours: null },
  { name: 'Assistenza domiciliare socio-assistenziale', siussCode: 'C1.01', userAreas: ['elderly', 'disability'], periodic: true, meansTestType: 1, monthlyAmount: [200, 900], monthlyHours: [8, 40] },
  { name: 'Assistenza domiciliare educativa minori', siussCode: 'C2.01', userAreas: ['family_minors'], periodic: true, meansTestType: null, monthlyAmount: [300, 1200], monthlyHours: [8, 30] },
  { name: 'Pasti a domicilio', siussCode: 'C3.02', userAreas: ['elderly'], periodic: true, meansTestType: 1, monthlyAmount: [80, 250], monthlyHours: null },
  { name: 'Centro diurno per anziani', siussCode: 'D1.01', userAreas: ['elderly'], periodic: true, meansTestType: 2, monthlyAmount: [400, 1100], monthlyHours: null },
  { name: 'Centro diurno per persone con disabilità', siussCode: 'D2.01', userAreas: ['disability'], periodic: true, meansTestType: 2, monthlyAmount: [600, 1500], monthlyHours: null },
  { name: 'Comunità educativa per minori', siussCode: 'E1.01', userAreas: ['family_minors'], periodic: true, meansTestType: null, monthlyAmount: [2500, 4500], monthlyHours: null },
  { name: 'Affido familiare', siussCode: 'E1.05', userAreas: ['family_minors'], periodic: true, meansTestType: null, monthlyAmount: [400, 700], monthlyHours: null },
  { name: 'Integrazione retta RSA', siussCode: 'E3.01', userAreas: ['elderly', 'disability'], periodic: true, meansTestType: 3, monthlyAmount: [500, 2000], monthlyHours: null },
  { name: 'Contributo economico per il reddito', siussCode: 'F1.01', userAreas: ['poverty_adults', 'family_minors', 'immigrants', 'multi_user'], periodic: false, meansTestType: 1, monthlyAmount: [100, 600], monthlyHours: null },
  { name: 'Contributo per il pagamento dell’affitto', siussCode: 'F1.03', userAreas: ['poverty_adults', 'family_minors', 'immigrants'], periodic: false, meansTestType: 1, monthlyAmount: [150, 500], monthlyHours: null },
  { name: 'Tirocinio di inclusione sociale', siussCode: 'B2.02', userAreas: ['poverty_adults', 'addiction', 'disability', 'immigrants'], periodic: true, meansTestType: null, monthlyAmount: [300, 500], monthlyHours: [40, 80] },
  { name: 'Mediazione culturale', siussCode: 'B1.03', userAreas: ['immigrants', 'family_minors'], periodic: false, meansTestType: null, monthlyAmount: null, monthlyHours: [2, 10] },
  { name: 'Trasporto sociale', siussCode: 'C4.01', userAreas: ['elderly', 'disability'], periodic: true, meansTestType: 1, monthlyAmount: [30, 150], monthlyHours: null },
];

export const assessmentInstruments: Readonly<Record<UserArea, string>> = {
  family_minors: 'Valutazione multidimensionale minori e famiglia',
  elderly: 'SVAMA',
  disability: 'SVAMDI',
  poverty_adults: 'Quadro di analisi',
  immigrants: 'Quadro di analisi',
  addiction: 'Valutazione integrata con il SerD',
  multi_user: 'Quadro di analisi',
};

/** Diary entries are assembled from these fragments: plausible, short, and about no one. */
export const noteOpenings: Readonly<Record<(typeof noteKinds)[number], string>> = {
  interview: 'Colloquio in sede con la persona',
  home_visit: 'Visita domiciliare concordata',
  phone_call: 'Contatto telefonico con il familiare di riferimento',
  team_meeting: 'Incontro di équipe multiprofessionale',
  report: 'Relazione di aggiornamento al servizio specialistico',
  other: 'Incontro di rete con il terzo settore',
};

export const noteBodies = [
  'si rileva un miglioramento nella gestione della quotidianità',
  'permangono difficoltà economiche legate alla perdita del lavoro',
  'si concorda di proseguire con il progetto individualizzato',
  'la rete familiare appare disponibile ma affaticata',
  'si valuta l’attivazione di un intervento domiciliare',
  'emergono bisogni abitativi da approfondire',
  'la persona riferisce un buon rapporto con gli operatori',
  'si programma una verifica a breve con i servizi sanitari',
  'il nucleo partecipa con regolarità agli incontri',
  'si aggiornano gli obiettivi e i tempi del progetto',
] as const;

export const noteClosings = [
  'Prossimo aggiornamento entro un mese.',
  'Si resta in attesa della documentazione richiesta.',
  'Si informa il responsabile di area.',
  'Nessuna criticità urgente.',
  'Da rivalutare alla prossima verifica.',
] as const;

export const planGoals = [
  'mantenimento al domicilio',
  'autonomia nella gestione economica',
  'sostegno alla genitorialità',
  'inserimento lavorativo',
  'inclusione sociale',
  'frequenza scolastica regolare',
  'accesso ai servizi sanitari',
  'soluzione abitativa stabile',
] as const;
