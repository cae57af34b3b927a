// Every text the client shows to a person, in one table. The application UI is Russian.
export const UI = {
  offline: 'Нет связи с кассой…',
  hostUnreachable: 'Касса не отвечает. Проверьте сеть и повторите действие.',
  actionFailed: (status: number): string =>
    `Действие не выполнено (ошибка ${status}). Повторите; если не поможет — сообщите администратору.`,
  unreadableAnswer: (status: number): string =>
    `Касса прислала непонятный ответ (код ${status}). Обновите страницу (F5) и повторите действие.`,
  targetMissing: (selector: string): string =>
    `На странице нет элемента ${selector}, куда нужно вывести ответ. Обновите страницу (F5).`,
  realtimeError: (message: string): string => `Обновления в реальном времени: ${message}`,
  devErrorsTitle: 'Ошибки приложения (режим разработки)',
  dismiss: 'Закрыть',
  printed: 'Отправлено на печать',
  printFailed: 'Не удалось напечатать. Проверьте принтер и повторите.',
  printBlocked: 'Браузер не открыл окно печати: разрешите всплывающие окна для кассы.',
} as const;
