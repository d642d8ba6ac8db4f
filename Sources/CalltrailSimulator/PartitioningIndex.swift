/// Binary search over a collection partitioned by `belongsInSecondPartition` (false, then true): the
/// index of the first element in the second partition. The vendors' lists are kept sorted, so a page is
/// found without a scan of the whole history.
extension Collection {
    func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = distance(from: startIndex, to: endIndex)
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongsInSecondPartition(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
