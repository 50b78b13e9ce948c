/// The `X-Total` every page of one listing announced. Offset pagination reads a live table: a
/// row removed between two page reads shifts the rest up, so the first row of the next page is
/// never read (one added reads a row twice), while each page on its own looks fine. GitLab counts
/// the rows again for every page, so totals that disagree, or rows read that do not add up to the
/// total, show that the listing changed or was cut short while it was read.
struct PageTotals: Sendable {
    private var totals: [Int?] = []

    /// Records one page's header; an absent or unreadable one (GitLab omits it above 10,000 rows)
    /// only leaves that page unchecked.
    mutating func record(_ header: String?) {
        let total = header.flatMap { value in value.allSatisfy(\.isASCIIDigit) && value.count <= 9 ? Int(value) : nil }
        totals.append(total)
    }

    /// What shows the listing incomplete or changed, or nil when nothing does.
    func discrepancy(itemCount: Int) -> String? {
        let announced = totals.compactMap { $0 }
        guard let first = announced.first else { return nil }
        if let other = announced.first(where: { $0 != first }) {
            return "X-Total went from \(first) to \(other) between pages"
        }
        guard announced.count == totals.count, itemCount != first else { return nil }
        return "\(itemCount) items read where X-Total announced \(first)"
    }
}
