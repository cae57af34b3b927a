// What the baseline needs of a receipt markup: its empty state, adding a product, recalculation and the
// fragment. Two markups: the original example's receipt and apps/kassa's.
export interface Product {
  id: number | string;
  name: string;
  price: string | number;
  barcode?: string;
}

export interface ReceiptKind<R> {
  empty(): R;
  cleared(): R;
  /** one more piece of a product: a new line or +1 on its line */
  add(receipt: R, product: Product): void;
  recalculate(receipt: R): void;
  render(receipt: R): string;
  cashierPage(products: Product[], receipt: R): string;
  fallbackCss: string;
  /**
   * the app's receipt channel pushes the rendered receipt with its event (emit.render, apps/kassa), so
   * subscribers swap it in instead of refreshing; the original example's only notifies
   */
  pushesFragment: boolean;
}
