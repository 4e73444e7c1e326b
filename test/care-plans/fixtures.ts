/** Well-formed SINA and SINBA blocks (codes of PS_PSA_SINA201812.xsd and SINBA.xsd). */
export const sina = {
  mobility: '2',
  dailyLivingActivities: '3',
  cognitiveDisorders: '1',
  behaviouralDisorders: '1',
  healthCareNeeds: '2',
  incomeSituation: '2',
  supportNetwork: '3',
  assessmentSource: '1',
  assessmentInstrument: '1',
  civilDisabilityCertifications: ['1', '5'],
  neededBenefitCodes: ['A1.01'],
};

export const sinba = {
  familyComposition: ['1', '3'],
  unaccompaniedForeignMinor: false,
  minorCondition: '1',
  livingPlace: '1',
  school: '3',
  workCondition: '1',
  disability: false,
  mother: { citizenshipCode: '380', education: '4', occupation: '2' },
  referralSource: '2',
  minorAssessment: '3',
  familyAssessment: '5',
  reportedToJudicialAuthority: true,
  judicialReportMonth: '2026-01',
  iseeHouseholdSize: 3,
  isee: '8500.00',
};
