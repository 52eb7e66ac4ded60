//! The embedded data: it loads, every reference resolves, and every sample behaves.

use disclose::model::source::Source;
use disclose::read::policy::{self, Polarity};
use disclose::taxonomy::Taxonomy;

/// Runs one sentence as a whole policy and returns its statements.
fn judge(t: &Taxonomy, text: &str) -> Vec<(usize, Polarity)> {
    let p = policy::parse(Source::new("sample.md", text.to_string()), t).expect("a sample parses");
    p.statements.iter().map(|s| (s.category, s.polarity)).collect()
}

fn covered(t: &Taxonomy, found: &[(usize, Polarity)], c: usize, pol: Polarity) -> bool {
    found.iter().any(|&(s, p)| p == pol && t.covers(s, c))
}

#[test]
fn builtin_data_loads() {
    let t = Taxonomy::builtin();
    assert!(t.categories.len() >= 23, "DESIGN.md's table has 23 categories");
    for id in [
        "location.precise",
        "location.approximate",
        "location.background",
        "audio.voice",
        "camera",
        "media.photos",
        "media.audio",
        "contacts",
        "calendar",
        "messages.sms",
        "calls.log",
        "phone.identity",
        "accounts",
        "health",
        "fitness",
        "biometrics",
        "identifiers.advertising",
        "browsing.history",
        "browsing.activity",
        "files",
        "nearby.devices",
        "clipboard",
        "apps.installed",
    ] {
        assert!(t.id(id).is_some(), "category `{id}` of DESIGN.md is missing");
    }
}

#[test]
fn every_category_sample_behaves() {
    let t = Taxonomy::builtin();
    let mut failures = Vec::new();
    for (c, cat) in t.categories.iter().enumerate() {
        for s in &cat.samples.matches {
            if !covered(t, &judge(t, s), c, Polarity::Disclosure) {
                failures.push(format!("{}: should disclose: {s}", cat.id));
            }
        }
        for s in &cat.samples.no_match {
            if covered(t, &judge(t, s), c, Polarity::Disclosure) {
                failures.push(format!("{}: should NOT disclose: {s}", cat.id));
            }
        }
        for s in &cat.samples.denial {
            if !covered(t, &judge(t, s), c, Polarity::Denial) {
                failures.push(format!("{}: should deny: {s}", cat.id));
            }
        }
    }
    assert!(failures.is_empty(), "{} samples misbehave:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_language_sample_behaves() {
    let t = Taxonomy::builtin();
    let mut failures = Vec::new();
    for (samples, pol) in
        [(&t.language.samples.denial, Polarity::Denial), (&t.language.samples.affirmative, Polarity::Disclosure)]
    {
        for s in samples {
            let c = t
                .id(&s.category)
                .unwrap_or_else(|| panic!("language.yaml sample names unknown category `{}`", s.category));
            let found = judge(t, &s.text);
            let ok =
                covered(t, &found, c, pol) && (pol == Polarity::Denial || !covered(t, &found, c, Polarity::Denial));
            if !ok {
                failures.push(format!("{:?} {}: {}", pol, s.category, s.text));
            }
        }
    }
    assert!(failures.is_empty(), "{} samples misbehave:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_practice_sample_behaves() {
    let t = Taxonomy::builtin();
    let mut failures = Vec::new();
    let found = |text: &str| {
        let p = policy::parse(Source::new("sample.md", text.to_string()), t).expect("a sample parses");
        p.practices.iter().map(|s| (s.practice, s.polarity)).collect::<Vec<_>>()
    };
    for (i, p) in t.practices.iter().enumerate() {
        for s in &p.samples.matches {
            if !found(s).contains(&(i, Polarity::Disclosure)) {
                failures.push(format!("{}: should state: {s}", p.id));
            }
        }
        for s in &p.samples.no_match {
            if found(s).contains(&(i, Polarity::Disclosure)) {
                failures.push(format!("{}: should NOT state: {s}", p.id));
            }
        }
        for s in &p.samples.denial {
            let f = found(s);
            if !f.contains(&(i, Polarity::Denial)) || f.contains(&(i, Polarity::Disclosure)) {
                failures.push(format!("{}: should deny: {s}", p.id));
            }
        }
    }
    assert!(failures.is_empty(), "{} samples misbehave:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_design_traps_are_samples() {
    let t = Taxonomy::builtin();
    let all: Vec<&String> = t.categories.iter().flat_map(|c| &c.samples.no_match).collect();
    for trap in [
        "Location of Site and Data",
        "contact us",
        "having a voice",
        "health and safety",
        "Our offices are located in Berlin",
    ] {
        assert!(
            all.iter().any(|s| s.to_lowercase().contains(&trap.to_lowercase())),
            "no no_match sample holds the trap `{trap}`"
        );
    }
}

#[test]
fn permission_maps_cover_the_platforms() {
    let t = Taxonomy::builtin();
    // Runtime permissions up to API 36 (androguard's AOSP extraction, see android.yaml).
    for p in [
        "ACCESS_FINE_LOCATION",
        "ACCESS_COARSE_LOCATION",
        "ACCESS_BACKGROUND_LOCATION",
        "ACCESS_MEDIA_LOCATION",
        "RECORD_AUDIO",
        "CAMERA",
        "READ_CONTACTS",
        "WRITE_CONTACTS",
        "GET_ACCOUNTS",
        "READ_CALENDAR",
        "WRITE_CALENDAR",
        "READ_CALL_LOG",
        "WRITE_CALL_LOG",
        "PROCESS_OUTGOING_CALLS",
        "READ_PHONE_STATE",
        "READ_PHONE_NUMBERS",
        "CALL_PHONE",
        "ANSWER_PHONE_CALLS",
        "USE_SIP",
        "ACCEPT_HANDOVER",
        "READ_SMS",
        "SEND_SMS",
        "RECEIVE_SMS",
        "RECEIVE_MMS",
        "RECEIVE_WAP_PUSH",
        "READ_CELL_BROADCASTS",
        "READ_MEDIA_IMAGES",
        "READ_MEDIA_VIDEO",
        "READ_MEDIA_AUDIO",
        "READ_MEDIA_VISUAL_USER_SELECTED",
        "READ_EXTERNAL_STORAGE",
        "WRITE_EXTERNAL_STORAGE",
        "BODY_SENSORS",
        "BODY_SENSORS_BACKGROUND",
        "ACTIVITY_RECOGNITION",
        "BLUETOOTH_SCAN",
        "BLUETOOTH_CONNECT",
        "BLUETOOTH_ADVERTISE",
        "UWB_RANGING",
        "NEARBY_WIFI_DEVICES",
        "RANGING",
        "POST_NOTIFICATIONS",
        "EYE_TRACKING_COARSE",
        "EYE_TRACKING_FINE",
        "FACE_TRACKING",
        "HAND_TRACKING",
        "HEAD_TRACKING",
        "SCENE_UNDERSTANDING_COARSE",
        "SCENE_UNDERSTANDING_FINE",
        "QUERY_ALL_PACKAGES",
        "ACCESS_WIFI_STATE",
        "INTERNET",
        "USE_BIOMETRIC",
    ] {
        assert!(t.android(&format!("android.permission.{p}")).is_some(), "android.yaml lacks {p}");
    }
    assert!(t.android("com.google.android.gms.permission.AD_ID").is_some());
    assert!(t.android("com.android.voicemail.permission.ADD_VOICEMAIL").is_some());
    for p in ["INTERNET", "USE_BIOMETRIC", "POST_NOTIFICATIONS", "VIBRATE"] {
        let g = t.android(&format!("android.permission.{p}")).expect("listed");
        assert!(g.categories.is_empty() && g.none.is_some(), "{p} carries no personal data");
    }
    let apple = &t.apple;
    for k in [
        "NSCameraUsageDescription",
        "NSMicrophoneUsageDescription",
        "NSContactsUsageDescription",
        "NSPhotoLibraryUsageDescription",
        "NSPhotoLibraryAddUsageDescription",
        "NSLocationWhenInUseUsageDescription",
        "NSLocationAlwaysAndWhenInUseUsageDescription",
        "NSCalendarsFullAccessUsageDescription",
        "NSRemindersFullAccessUsageDescription",
        "NSBluetoothAlwaysUsageDescription",
        "NSHealthShareUsageDescription",
        "NSHealthUpdateUsageDescription",
        "NSMotionUsageDescription",
        "NSSpeechRecognitionUsageDescription",
        "NSUserTrackingUsageDescription",
        "NSLocalNetworkUsageDescription",
        "NSFaceIDUsageDescription",
        "NSAppleMusicUsageDescription",
        "NFCReaderUsageDescription",
        "NSSiriUsageDescription",
        "NSHomeKitUsageDescription",
        "NSFocusStatusUsageDescription",
    ] {
        assert!(apple.usage_keys.contains_key(k), "apple.yaml lacks {k}");
    }
    assert!(apple.background_modes.contains_key("location"));
    for ty in [
        "Name",
        "EmailAddress",
        "PhoneNumber",
        "PhysicalAddress",
        "OtherUserContactInfo",
        "Health",
        "Fitness",
        "PaymentInfo",
        "CreditInfo",
        "OtherFinancialInfo",
        "PreciseLocation",
        "CoarseLocation",
        "SensitiveInfo",
        "Contacts",
        "EmailsOrTextMessages",
        "PhotosorVideos",
        "AudioData",
        "GameplayContent",
        "CustomerSupport",
        "OtherUserContent",
        "BrowsingHistory",
        "SearchHistory",
        "UserID",
        "DeviceID",
        "PurchaseHistory",
        "ProductInteraction",
        "AdvertisingData",
        "OtherUsageData",
        "CrashData",
        "PerformanceData",
        "OtherDiagnosticData",
        "EnvironmentScanning",
        "Hands",
        "Head",
        "OtherDataTypes",
    ] {
        assert!(
            apple.data_types.contains_key(&format!("NSPrivacyCollectedDataType{ty}")),
            "apple.yaml lacks data type {ty}"
        );
    }
}

#[test]
fn crosswalk_apple_ids_are_real_data_types() {
    let t = Taxonomy::builtin();
    for c in &t.categories {
        for id in &c.crosswalk.apple {
            assert!(t.apple.data_types.contains_key(id), "{}: crosswalk names unknown Apple type {id}", c.id);
        }
    }
}
