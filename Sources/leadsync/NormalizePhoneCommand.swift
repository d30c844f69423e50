import ArgumentParser
import LeadSync

/// `leadsync normalize-phone [--region R]`: the phone key of each line on stdin.
struct NormalizePhoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize-phone",
        abstract: "Read one phone number a line on stdin; print E164<TAB>EXTENSION (empty fields when no key)."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Region for numbers without a country code (default: default_region from the config, else DE).", valueName: "region"))
    var region: String?

    func run() throws {
        try failing {
            let config = try global.config.map(Configuration.load(path:)) ?? Configuration()
            let normalizer = try PhoneNormalizer(defaultRegion: region ?? config.defaultRegion)
            while let line = readLine(strippingNewline: true) {
                let key = normalizer.normalize(line)
                print("\(key.e164 ?? "")\t\(key.extensionDigits)")
            }
        }
    }
}
