#!/usr/bin/env python3
"""FHIR Observations of about 2 KiB for bench/waf-bench.sh.

  fhir-bodies.py FILE           the fixed body: one Observation, sent again and again
  fhir-bodies.py FILE COUNT     COUNT different Observations, one JSON document per line

The fixed body repeats every value, which flatters anything that remembers values between
requests (the WAF's ValueMemoCache). The varied ones change what differs between real
observations: the observation and patient ids, names (drawn from lists, so patients recur),
practitioner, time, the measured values and the clinical notes; codes, coding systems, units and
statuses stay, as they do in a clinical system's traffic. Seeded: every run sends the same set.
"""
import json
import random
import sys

FIRST = ["Siobhan", "Aoife", "Liam", "Noah", "Maeve", "Ciaran", "Fatima", "Yusuf", "Chen", "Mei",
         "Olusegun", "Adaeze", "Lukas", "Anja", "Mateo", "Lucia", "Priya", "Arjun", "Sofia", "Jonas",
         "Eamon", "Grainne", "Tomasz", "Zofia", "Hiroshi", "Yuki", "Amara", "Kwame", "Ingrid", "Lars"]
LAST = ["O'Brien", "D'Angelo", "O'Neill", "McCarthy", "Nakamura", "Okafor", "Schmidt", "Kowalski",
        "Garcia", "Rossi", "Patel", "Nguyen", "Haddad", "Johansson", "Murphy", "Byrne", "D'Souza",
        "Fitzgerald", "Moreau", "Silva", "Kim", "Mensah", "Novak", "Jansen", "Walsh"]
NOTES = [
    "Patient seated for {n} minutes before measurement; cuff size adult.",
    "Follow-up in {n} months.",
    "Reports mild headache since {d}; no visual disturbance.",
    "BP taken on left arm after {n} min rest; repeat reading {s}/{t}.",
    "Home readings average {s}/{t} over the last {n} days.",
    "Medication: amlodipine {n} mg once daily, adherence good.",
    "Patient anxious; white-coat effect suspected, ambulatory monitoring advised.",
    "Denies chest pain, dyspnoea or palpitations; ankles: trace oedema.",
    "Reviewed with Dr. {p}; continue current plan & recheck in {n} weeks.",
    "Smoker, {n} cigarettes/day; cessation support offered < declined > for now.",
    "Routine check, no complaints reported by the patient today.",
    "Weight {n} kg; advised low-salt diet; sodium intake ~{s} mmol/day.",
]


def observation(rng, varied):
    if not varied:
        subject, performer = "Siobhan O'Brien", "Dr. Aoife D'Angelo"
        ids = ("p-1001", "pr-77")
        when, sys_bp, dia_bp = "2026-11-20T09:30:00+01:00", 107, 60
        notes = ["Patient seated for 5 minutes before measurement; cuff size adult. Follow-up in 3 months."]
    else:
        subject = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        performer = f"Dr. {rng.choice(FIRST)} {rng.choice(LAST)}"
        ids = (f"p-{rng.randrange(1000, 100000)}", f"pr-{rng.randrange(1, 500)}")
        when = (f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T"
                f"{rng.randrange(7, 20):02d}:{rng.randrange(60):02d}:00+01:00")
        sys_bp, dia_bp = rng.randrange(95, 181), rng.randrange(55, 111)
        notes = [note(rng, performer) for _ in range(2)]
    doc = {"resourceType": "Observation", "status": "final",
           "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                     "code": "vital-signs", "display": "Vital Signs"}]}],
           "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9",
                                "display": "Blood pressure panel with all children optional"}],
                    "text": "Blood pressure systolic & diastolic"},
           "subject": {"reference": f"Patient/{ids[0]}", "display": subject},
           "effectiveDateTime": when,
           "performer": [{"reference": f"Practitioner/{ids[1]}", "display": performer}],
           "component": [
               {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6", "display": "Systolic blood pressure"}]},
                "valueQuantity": {"value": sys_bp, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
               {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4", "display": "Diastolic blood pressure"}]},
                "valueQuantity": {"value": dia_bp, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}],
           "note": [{"text": n} for n in notes]}
    if varied:
        doc = {"id": f"obs-{rng.getrandbits(64):016x}", **doc}
    indent = 1 if not varied else None
    s = json.dumps(doc, indent=indent)
    while len(s) < 2048:
        doc["note"].append({"text": note(rng, performer) if varied
                            else "Routine check, no complaints reported by the patient today."})
        s = json.dumps(doc, indent=indent)
    return s


def note(rng, performer):
    return rng.choice(NOTES).format(n=rng.randrange(1, 60), s=rng.randrange(95, 181), t=rng.randrange(55, 111),
                                    d=f"{rng.randrange(1, 29)} Nov", p=performer[4:])


def main():
    rng = random.Random(20261127)
    if len(sys.argv) == 2:
        open(sys.argv[1], "w").write(observation(rng, False))
        return
    with open(sys.argv[1], "w") as out:
        for _ in range(int(sys.argv[2])):
            out.write(observation(rng, True) + "\n")


if __name__ == "__main__":
    main()
